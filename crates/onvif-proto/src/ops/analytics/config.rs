//! The configuration items of analytics modules and rules (`tt:Config`, `tt:ItemList`), their
//! descriptions (`tt:ConfigDescription`), and the cell motion detector's layout
//! (`tt:CellLayout`).
//!
//! A module's or rule's `Type`, and an item description's, is a QName: it is resolved against
//! the namespaces in scope where it is read and compared by namespace URI and local name
//! ([`QNameValue::is`]), never by prefix.

use serde::Serialize;

use crate::codec::{Node, Xml};
use crate::error::Error;
use crate::ns::{TAN, TT};
use crate::ops::events::{ElementItem, SimpleItem};
use crate::xml::{Element, QNameValue, Writer, parse_str};

/// `tt:CellMotionEngine`, the analytics module of cell motion detection.
pub const CELL_MOTION_ENGINE: &str = "CellMotionEngine";
/// `tt:CellMotionDetector`, the rule of cell motion detection.
pub const CELL_MOTION_DETECTOR: &str = "CellMotionDetector";

/// A QName in `tt:`.
pub fn tt(name: &str) -> QNameValue {
    QNameValue {
        ns: Some(TT.to_owned()),
        name: name.to_owned(),
    }
}

/// Read a QName-valued attribute, resolved against `el`'s namespaces.
fn qname_attr(el: &Element, attr: &str) -> Result<QNameValue, Error> {
    let v = el
        .attr(attr)
        .ok_or_else(|| Error::missing(format!("{}/@{attr}", el.name)))?;
    Ok(el.resolve_qname(v.trim()))
}

/// Open `tag` with plain attributes and one QName-valued attribute, declaring the QName's
/// namespace on the element when it is not one of the envelope's own.
fn start_with_qname(w: &mut Writer, tag: &str, attrs: &[(&str, &str)], q: (&str, &QNameValue)) {
    w.start(tag);
    for (k, v) in attrs {
        w.attr(k, v);
    }
    let (name, value) = q;
    match value.ns.as_deref() {
        Some(TT) => w.attr(name, &format!("tt:{}", value.name)),
        Some(TAN) => w.attr(name, &format!("tan:{}", value.name)),
        Some(other) => w
            .attr("xmlns:q", other)
            .attr(name, &format!("q:{}", value.name)),
        None => w.attr(name, &value.name),
    };
}

/// `tt:ItemList`: simple items (name and value), then element items (name and an element).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct ItemList {
    /// `SimpleItem`s.
    #[xml(child = "tt:SimpleItem")]
    pub simple: Vec<SimpleItem>,
    /// `ElementItem`s.
    #[xml(child = "tt:ElementItem")]
    pub element: Vec<ElementItem>,
}

/// `tt:Config`: an analytics module or a rule: its name, its type, its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    /// The module's or rule's name (unique in its configuration).
    pub name: String,
    /// Its type (`tt:CellMotionDetector`), by namespace and local name.
    #[serde(rename = "type")]
    pub kind: QNameValue,
    /// Its parameters.
    pub parameters: ItemList,
}

impl Config {
    /// The value of the simple item `name`.
    pub fn simple(&self, name: &str) -> Option<&str> {
        self.parameters
            .simple
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.value.as_str())
    }

    /// Set the simple item `name` (added when absent).
    pub fn set_simple(&mut self, name: &str, value: &str) {
        match self.parameters.simple.iter_mut().find(|i| i.name == name) {
            Some(i) => i.value = value.to_owned(),
            None => self.parameters.simple.push(SimpleItem::new(name, value)),
        }
    }

    /// Is it of type `{ns}name`?
    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.kind.is(ns, name)
    }

    /// The cell layout among its element items (a `tt:CellLayout` element, whatever the item's
    /// name), when it has one that reads.
    pub fn cell_layout(&self) -> Option<CellLayout> {
        self.parameters.element.iter().find_map(|i| {
            let e = i.element.as_ref()?;
            e.is(TT, "CellLayout")
                .then(|| CellLayout::read_node(e).ok())
                .flatten()
        })
    }
}

/// `Name` and `Type` are attributes, and `Type` a QName that must be resolved against the
/// element's namespaces: the derive writes attributes as plain text, so this is by hand.
impl Node for Config {
    fn read_node(el: &Element) -> Result<Self, Error> {
        let name = el
            .attr("Name")
            .ok_or_else(|| Error::missing(format!("{}/@Name", el.name)))?
            .to_owned();
        let kind = qname_attr(el, "Type")?;
        let parameters = match el.child(TT, "Parameters") {
            Some(p) => ItemList::read_node(p)?,
            None => ItemList::default(),
        };
        Ok(Config {
            name,
            kind,
            parameters,
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        start_with_qname(w, tag, &[("Name", &self.name)], ("Type", &self.kind));
        w.end_start();
        self.parameters.write_node(w, "tt:Parameters");
        w.close(tag);
    }
}

/// `tt:SimpleItemDescription` or `tt:ElementItemDescription`: an item's name and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemDescription {
    /// The item's name.
    pub name: String,
    /// Its type (`xs:integer`, `tt:CellLayout`).
    #[serde(rename = "type")]
    pub kind: QNameValue,
}

/// A QName-valued attribute: by hand, as [`Config`].
impl Node for ItemDescription {
    fn read_node(el: &Element) -> Result<Self, Error> {
        Ok(ItemDescription {
            name: el
                .attr("Name")
                .ok_or_else(|| Error::missing(format!("{}/@Name", el.name)))?
                .to_owned(),
            kind: qname_attr(el, "Type")?,
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        start_with_qname(w, tag, &[("Name", &self.name)], ("Type", &self.kind));
        w.end_empty();
    }
}

/// `tt:ItemListDescription`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct ItemListDescription {
    /// Simple items.
    #[xml(child = "tt:SimpleItemDescription")]
    pub simple: Vec<ItemDescription>,
    /// Element items.
    #[xml(child = "tt:ElementItemDescription")]
    pub element: Vec<ItemDescription>,
}

/// `tt:ConfigDescription/Messages`: an event a module or rule sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
pub struct MessageDescription {
    /// A property (a state with Initialized/Changed/Deleted) rather than a plain event.
    #[xml(attr = "IsProperty")]
    pub is_property: Option<bool>,
    /// The items that say where it came from.
    #[xml(child = "tt:Source")]
    pub source: Option<ItemListDescription>,
    /// The items that tell one instance from another.
    #[xml(child = "tt:Key")]
    pub key: Option<ItemListDescription>,
    /// The items it carries.
    #[xml(child = "tt:Data")]
    pub data: Option<ItemListDescription>,
    /// Its topic's parent (`tns1:RuleEngine/CellMotionDetector/Motion`).
    #[xml(child = "tt:ParentTopic")]
    pub parent_topic: Option<String>,
}

/// `tt:ConfigDescription`: a kind of module or rule a camera supports, and its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigDescription {
    /// The type it describes (`tt:CellMotionDetector`).
    pub name: QNameValue,
    /// Instances cannot be created or deleted.
    pub fixed: Option<bool>,
    /// How many instances there may be.
    pub max_instances: Option<u32>,
    /// Its parameters.
    pub parameters: ItemListDescription,
    /// The events it sends.
    pub messages: Vec<MessageDescription>,
}

/// `Name` is a QName attribute: by hand, as [`Config`].
impl Node for ConfigDescription {
    fn read_node(el: &Element) -> Result<Self, Error> {
        let num = |a: &str| el.attr(a).and_then(|v| v.trim().parse().ok());
        Ok(ConfigDescription {
            name: qname_attr(el, "Name")?,
            fixed: el
                .attr("fixed")
                .and_then(|v| crate::ops::parse_bool("fixed", v).ok()),
            max_instances: num("maxInstances"),
            parameters: match el.child(TT, "Parameters") {
                Some(p) => ItemListDescription::read_node(p)?,
                None => ItemListDescription::default(),
            },
            messages: el
                .children_named(TT, "Messages")
                .map(MessageDescription::read_node)
                .collect::<Result<_, _>>()?,
        })
    }

    fn write_node(&self, w: &mut Writer, tag: &str) {
        let fixed = self.fixed.map(|f| f.to_string());
        let max = self.max_instances.map(|m| m.to_string());
        let mut attrs: Vec<(&str, &str)> = Vec::new();
        if let Some(f) = &fixed {
            attrs.push(("fixed", f));
        }
        if let Some(m) = &max {
            attrs.push(("maxInstances", m));
        }
        start_with_qname(w, tag, &attrs, ("Name", &self.name));
        w.end_start();
        self.parameters.write_node(w, "tt:Parameters");
        for m in &self.messages {
            m.write_node(w, "tt:Messages");
        }
        w.close(tag);
    }
}

/// `tt:Transformation`: from cell (or pixel) coordinates to the normalised frame.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Xml)]
pub struct Transformation {
    /// `Translate` (x, y).
    #[xml(child = "tt:Translate")]
    pub translate: Option<crate::ops::media::osd::Vector>,
    /// `Scale` (x, y).
    #[xml(child = "tt:Scale")]
    pub scale: Option<crate::ops::media::osd::Vector>,
}

/// `tt:CellLayout`: the grid of the cell motion detector.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Xml)]
pub struct CellLayout {
    /// Cells across.
    #[xml(attr = "Columns")]
    pub columns: u32,
    /// Cells down.
    #[xml(attr = "Rows")]
    pub rows: u32,
    /// From cell coordinates to the frame.
    #[xml(child = "tt:Transformation", default)]
    pub transformation: Transformation,
}

impl CellLayout {
    /// The layout as an element item's element (`tt:CellLayout`, its namespace declared).
    pub fn to_element(&self) -> Element {
        let mut w = Writer::new();
        self.write_node(&mut w, "tt:CellLayout");
        let doc = format!("<w xmlns:tt=\"{TT}\">{}</w>", w.finish());
        // What the writer wrote always parses.
        parse_str(&doc)
            .ok()
            .and_then(|mut root| root.children.pop())
            .unwrap_or_else(|| Element::new(Some(TT), "CellLayout"))
    }
}
