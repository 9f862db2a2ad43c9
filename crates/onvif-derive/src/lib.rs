//! `#[derive(Xml)]`: the declarative codec of `onvif-proto`.
//!
//! A type declares its element once and each field once; reading and writing are generated
//! from that one declaration, so they cannot drift apart. The generated code calls
//! `crate::codec` and `crate::ns`, so the derive is for use inside `onvif-proto` only.
//!
//! ```text
//! #[derive(Xml)]
//! #[xml(root = "tds:GetDeviceInformationResponse")]   // a message: Message + Node
//! pub struct DeviceInformation {
//!     #[xml(child = "tds:Manufacturer", default)]      // absent reads as ""
//!     pub manufacturer: String,
//! }
//! ```
//!
//! Type attribute: `root = "prefix:Name"` makes the type a `Message` (its `ELEMENT` names it);
//! without it the type is a `Node`, written under whatever tag its parent gives it.
//!
//! Field attributes, one placement each:
//! - `child = "p:A/p:B"`: a child element, through wrapper elements. The field's type decides
//!   how it is read: a `Text` value (string, number, boolean, enumeration) from the element's
//!   text, any other `Node` from the element itself. `Option<T>` is absent when the element is
//!   (or when a text element is empty); `Vec<T>` is every element of that name.
//! - `attr = "name"` (or `"p:name"`): an attribute, read and written as text.
//! - `text`: the element's own text.
//! - `with = "module"`: the escape hatch for the irregular: `module::read(&Element) ->
//!   Result<T, Error>` reads the field from the parent element; `module::write(&Parent, &mut
//!   Writer, &str)` writes it into the parent (given the whole parent value, so that it can use
//!   other fields, and the parent's tag), at this field's place in the order.
//! - `skip`: not in the XML; reads as `Default`.
//! - `computed = "expr"`: not in the XML; reads as `expr`, in which the fields declared
//!   before it are variables (`Service::from_namespace(&namespace)`).
//!
//! Modifiers: `default` / `default = "expr"` (a required value that may be absent),
//! `lenient` (an unreadable value counts as absent: `None`, the default, or an item left out
//! of a list, instead of an error), `write_default = "expr"` (an `Option` written as this when
//! `None`, where the schema requires the element), `skip_if = "path"` (not written when
//! `path(&field)` is true).
//!
//! Wrappers shared by consecutive fields are written once, when one of those fields writes
//! something; a wrapper of one field alone is written only when that field is. Fields under
//! one wrapper must be consecutive (a compile error says so otherwise).

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields, GenericArgument, LitStr, PathArguments, Type};

/// Generate `Node` (and, with `root`, `Message`) for a struct; see the crate documentation.
#[proc_macro_derive(Xml, attributes(xml))]
pub fn derive_xml(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// A prefixed name as written in the attributes: `tds:Name`.
#[derive(Clone)]
struct QName {
    prefix: String,
    local: String,
}

impl QName {
    fn parse(s: &str, span: &LitStr) -> syn::Result<QName> {
        match s.split_once(':') {
            Some((p, l)) if !p.is_empty() && !l.is_empty() && !l.contains(':') => Ok(QName {
                prefix: p.to_owned(),
                local: l.to_owned(),
            }),
            _ => Err(syn::Error::new(
                span.span(),
                format!("`{s}`: expected prefix:Name (the prefix names a constant of crate::ns)"),
            )),
        }
    }

    /// `crate::ns::TDS` for `tds`.
    fn ns(&self) -> Tokens {
        let c = format_ident!("{}", self.prefix.to_ascii_uppercase());
        quote!(crate::ns::#c)
    }

    fn tag(&self) -> String {
        format!("{}:{}", self.prefix, self.local)
    }
}

enum Place {
    Child(Vec<QName>),
    Attr(Option<QName>, String),
    Text,
    With(Tokens),
    Skip,
    Computed(Tokens),
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    One,
    Opt,
    Many,
}

struct FieldSpec {
    ident: syn::Ident,
    /// The type inside `Option`/`Vec`.
    inner: Type,
    shape: Shape,
    place: Place,
    default: Option<Tokens>,
    lenient: bool,
    write_default: Option<Tokens>,
    skip_if: Option<Tokens>,
}

fn tokens(lit: &LitStr) -> syn::Result<Tokens> {
    lit.value()
        .parse::<Tokens>()
        .map_err(|e| syn::Error::new(lit.span(), format!("not Rust tokens: {e}")))
}

fn shape_of(ty: &Type) -> (Shape, Type) {
    if let Type::Path(p) = ty
        && p.qself.is_none()
        && let Some(last) = p.path.segments.last()
        && let PathArguments::AngleBracketed(args) = &last.arguments
        && args.args.len() == 1
        && let Some(GenericArgument::Type(inner)) = args.args.first()
    {
        if last.ident == "Option" {
            return (Shape::Opt, inner.clone());
        }
        if last.ident == "Vec" {
            return (Shape::Many, inner.clone());
        }
    }
    (Shape::One, ty.clone())
}

fn field_spec(f: &syn::Field) -> syn::Result<FieldSpec> {
    let ident = f
        .ident
        .clone()
        .ok_or_else(|| syn::Error::new_spanned(f, "Xml needs named fields"))?;
    let (shape, inner) = shape_of(&f.ty);
    let mut spec = FieldSpec {
        ident,
        inner,
        shape,
        place: Place::Skip,
        default: None,
        lenient: false,
        write_default: None,
        skip_if: None,
    };
    let mut placed = false;
    for attr in f.attrs.iter().filter(|a| a.path().is_ident("xml")) {
        attr.parse_nested_meta(|meta| {
            let mut place = |p: Place| {
                if placed {
                    return Err(meta.error(
                        "a field has one place: child, attr, text, with, skip or computed",
                    ));
                }
                placed = true;
                spec.place = p;
                Ok(())
            };
            if meta.path.is_ident("child") {
                let lit: LitStr = meta.value()?.parse()?;
                let steps = lit
                    .value()
                    .split('/')
                    .map(|s| QName::parse(s.trim(), &lit))
                    .collect::<syn::Result<Vec<_>>>()?;
                place(Place::Child(steps))
            } else if meta.path.is_ident("attr") {
                let lit: LitStr = meta.value()?.parse()?;
                let v = lit.value();
                let p = if v.contains(':') {
                    let q = QName::parse(&v, &lit)?;
                    Place::Attr(Some(q), v)
                } else {
                    Place::Attr(None, v)
                };
                place(p)
            } else if meta.path.is_ident("text") {
                place(Place::Text)
            } else if meta.path.is_ident("with") {
                let lit: LitStr = meta.value()?.parse()?;
                place(Place::With(tokens(&lit)?))
            } else if meta.path.is_ident("skip") {
                place(Place::Skip)
            } else if meta.path.is_ident("computed") {
                let lit: LitStr = meta.value()?.parse()?;
                place(Place::Computed(tokens(&lit)?))
            } else if meta.path.is_ident("default") {
                spec.default = Some(if meta.input.peek(syn::Token![=]) {
                    let lit: LitStr = meta.value()?.parse()?;
                    tokens(&lit)?
                } else {
                    quote!(::core::default::Default::default())
                });
                Ok(())
            } else if meta.path.is_ident("lenient") {
                spec.lenient = true;
                Ok(())
            } else if meta.path.is_ident("write_default") {
                let lit: LitStr = meta.value()?.parse()?;
                spec.write_default = Some(tokens(&lit)?);
                Ok(())
            } else if meta.path.is_ident("skip_if") {
                let lit: LitStr = meta.value()?.parse()?;
                spec.skip_if = Some(tokens(&lit)?);
                Ok(())
            } else {
                Err(meta.error("unknown xml attribute"))
            }
        })?;
    }
    if !placed {
        return Err(syn::Error::new_spanned(
            f,
            "say where this field is: #[xml(child = ..)], attr, text, with, skip or computed",
        ));
    }
    if spec.write_default.is_some() && spec.shape != Shape::Opt {
        return Err(syn::Error::new_spanned(
            f,
            "write_default is for Option fields",
        ));
    }
    if spec.lenient && spec.shape == Shape::One && spec.default.is_none() {
        return Err(syn::Error::new_spanned(
            f,
            "a lenient required field needs a default to fall back on",
        ));
    }
    Ok(spec)
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let mut root: Option<QName> = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("xml")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("root") {
                let lit: LitStr = meta.value()?.parse()?;
                root = Some(QName::parse(&lit.value(), &lit)?);
                Ok(())
            } else {
                Err(meta.error("unknown xml attribute (expected root = \"prefix:Name\")"))
            }
        })?;
    }
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            input,
            "Xml derives for structs; enumerations of text use xml_enum!",
        ));
    };
    let specs = match &data.fields {
        Fields::Named(named) => named
            .named
            .iter()
            .map(field_spec)
            .collect::<syn::Result<Vec<_>>>()?,
        Fields::Unit => Vec::new(),
        Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
            // A newtype is its one field, under the newtype's element.
            let inner = &fields.unnamed[0].ty;
            let message = root.as_ref().map(|r| message_impl(name, r));
            return Ok(quote! {
                impl crate::codec::Node for #name {
                    fn read_node(el: &crate::xml::Element) -> ::core::result::Result<Self, crate::Error> {
                        <#inner as crate::codec::Node>::read_node(el).map(#name)
                    }
                    fn write_node(&self, w: &mut crate::xml::Writer, tag: &str) {
                        crate::codec::Node::write_node(&self.0, w, tag);
                    }
                    fn is_blank(el: &crate::xml::Element) -> bool {
                        <#inner as crate::codec::Node>::is_blank(el)
                    }
                }
                #message
            });
        }
        Fields::Unnamed(_) => {
            return Err(syn::Error::new_spanned(
                input,
                "Xml needs named fields, or one unnamed",
            ));
        }
    };
    let unit = matches!(data.fields, Fields::Unit);

    let reads = specs.iter().map(read_field);
    let idents = specs.iter().map(|s| &s.ident);
    let build = if unit {
        quote!(#name)
    } else {
        quote!(#name { #(#idents),* })
    };
    let write = write_body(&specs);

    let message = root.as_ref().map(|r| message_impl(name, r));

    Ok(quote! {
        impl crate::codec::Node for #name {
            #[allow(unused_variables)]
            fn read_node(el: &crate::xml::Element) -> ::core::result::Result<Self, crate::Error> {
                #(#reads)*
                ::core::result::Result::Ok(#build)
            }
            #[allow(unused_variables)]
            fn write_node(&self, w: &mut crate::xml::Writer, tag: &str) {
                #write
            }
        }
        #message
    })
}

/// `impl Message`: the element, and reading/writing through `Node`.
fn message_impl(name: &syn::Ident, r: &QName) -> Tokens {
    let ns = r.ns();
    let local = &r.local;
    let prefix = &r.prefix;
    let tag = r.tag();
    quote! {
        impl crate::ops::Message for #name {
            const ELEMENT: crate::codec::ElementName = crate::codec::ElementName {
                ns: #ns,
                prefix: #prefix,
                name: #local,
            };
            fn write(&self, w: &mut crate::xml::Writer) {
                crate::codec::Node::write_node(self, w, #tag);
            }
            fn read(el: &crate::xml::Element) -> ::core::result::Result<Self, crate::Error> {
                crate::ops::expect(el, #ns, #local)?;
                <Self as crate::codec::Node>::read_node(el)
            }
        }
    }
}

/// `let ident = ...;` reading one field from `el`.
fn read_field(s: &FieldSpec) -> Tokens {
    let ident = &s.ident;
    let inner = &s.inner;
    let lenient = s.lenient;
    let value = match &s.place {
        Place::Skip => quote!(::core::default::Default::default()),
        Place::Computed(expr) => quote!(#expr),
        Place::With(module) => {
            return quote! { let #ident = #module::read(el)?; };
        }
        Place::Text => one_text(s, quote!(::core::option::Option::Some(el.text())), ""),
        Place::Attr(q, raw) => {
            let found = match q {
                Some(q) => {
                    let ns = q.ns();
                    let local = &q.local;
                    quote!(el.attr_ns(#ns, #local))
                }
                None => quote!(el.attr(#raw)),
            };
            one_text(s, found, &format!("@{raw}"))
        }
        Place::Child(steps) => {
            let (last, wrappers) = steps.split_last().expect("a child path has a step");
            let mut parent = quote!(::core::option::Option::Some(el));
            for step in wrappers {
                let ns = step.ns();
                let local = &step.local;
                parent = quote!(#parent.and_then(|e| e.child(#ns, #local)));
            }
            let path: Vec<&str> = steps.iter().map(|q| q.local.as_str()).collect();
            let path = path.join("/");
            let label = quote!(&::std::format!("{}/{}", el.name, #path));
            let ns = last.ns();
            let local = &last.local;
            match s.shape {
                Shape::Many => {
                    return quote! {
                        let #ident = crate::codec::read_list::<#inner>(
                            #parent, #ns, #local, #lenient)?;
                    };
                }
                Shape::Opt => quote! {
                    crate::codec::read_opt::<#inner>(
                        #parent.and_then(|e| e.child(#ns, #local)), #lenient)?
                },
                Shape::One => {
                    let (missing, fallback) = missing_and_fallback(s, &label);
                    quote! {
                        match #parent.and_then(|e| e.child(#ns, #local)) {
                            ::core::option::Option::Some(c) => {
                                <#inner as crate::codec::Node>::read_node(c).or_else(#fallback)?
                            }
                            ::core::option::Option::None => #missing,
                        }
                    }
                }
            }
        }
    };
    quote! { let #ident = #value; }
}

/// What an absent required value reads as (its default, or an error naming it), and what an
/// unreadable one falls back to (its default when lenient, else the error).
fn missing_and_fallback(s: &FieldSpec, label: &Tokens) -> (Tokens, Tokens) {
    let missing = match &s.default {
        Some(d) => quote!(#d),
        None => quote!(return ::core::result::Result::Err(crate::Error::missing(#label))),
    };
    let fallback = match &s.default {
        Some(d) if s.lenient => {
            quote!(|_| ::core::result::Result::<_, crate::Error>::Ok(#d))
        }
        _ => quote!(::core::result::Result::Err),
    };
    (missing, fallback)
}

/// Read a text-valued place (attribute or own text) found as `Option<&str>`; `at` follows the
/// element's name in errors (`@token`). Errors are named only when they happen: reading
/// allocates nothing for a label.
fn one_text(s: &FieldSpec, found: Tokens, at: &str) -> Tokens {
    let label = quote!(&::std::format!("{}{}", el.name, #at));
    let inner = &s.inner;
    let lenient = s.lenient;
    match s.shape {
        Shape::Opt => quote! {
            crate::codec::text_opt::<#inner>(#found, &el.name, #at, #lenient)?
        },
        Shape::Many => quote! {
            ::core::compile_error!("a list lives in child elements, not in one text")
        },
        Shape::One => {
            let (missing, fallback) = missing_and_fallback(s, &label);
            quote! {
                match #found {
                    ::core::option::Option::Some(t) => {
                        crate::codec::text_one::<#inner>(t, &el.name, #at).or_else(#fallback)?
                    }
                    ::core::option::Option::None => #missing,
                }
            }
        }
    }
}

/// The body of `write_node`: the open tag with attributes, children in field order, close.
fn write_body(specs: &[FieldSpec]) -> Tokens {
    let mut attrs = Vec::new();
    let mut content: Vec<(&FieldSpec, Vec<QName>)> = Vec::new();
    for s in specs {
        match &s.place {
            Place::Attr(_, raw) => {
                let ident = &s.ident;
                let guard = s.skip_if.as_ref().map(|p| quote!(if !#p(&self.#ident)));
                attrs.push(match s.shape {
                    Shape::Opt => quote! {
                        if let ::core::option::Option::Some(v) = &self.#ident {
                            w.attr(#raw, &crate::codec::Text::to_text(v));
                        }
                    },
                    _ => quote! {
                        #guard { w.attr(#raw, &crate::codec::Text::to_text(&self.#ident)); }
                    },
                });
            }
            Place::Child(steps) => content.push((s, steps.clone())),
            Place::Text | Place::With(_) => content.push((s, Vec::new())),
            Place::Skip | Place::Computed(_) => {}
        }
    }
    if content.is_empty() {
        return quote! {
            w.start(tag);
            #(#attrs)*
            w.end_empty();
        };
    }
    let children = write_group(&content, 0);
    quote! {
        w.start(tag);
        #(#attrs)*
        w.end_start();
        #children
        w.close(tag);
    }
}

/// Write `items` (fields with their element paths) from path depth `depth`: consecutive items
/// under the same wrapper share it.
fn write_group(items: &[(&FieldSpec, Vec<QName>)], depth: usize) -> Tokens {
    let mut out = Tokens::new();
    let mut i = 0;
    while i < items.len() {
        let (spec, path) = &items[i];
        if path.len() > depth + 1 {
            // A wrapper at this depth: gather the run of items under the same one.
            let wrapper = &path[depth];
            let mut j = i + 1;
            while j < items.len()
                && items[j].1.len() > depth + 1
                && items[j].1[depth].tag() == wrapper.tag()
            {
                j += 1;
            }
            if items[j..]
                .iter()
                .any(|(_, p)| p.len() > depth + 1 && p[depth].tag() == wrapper.tag())
            {
                let msg = format!(
                    "fields under `{}` must be consecutive: it would be written twice",
                    wrapper.tag()
                );
                out.extend(quote! { ::core::compile_error!(#msg); });
            }
            if j - i == 1 {
                out.extend(write_item(spec, &path[depth..]));
            } else {
                // A shared wrapper is written when one of its fields is.
                let tag = wrapper.tag();
                let inner = write_group(&items[i..j], depth + 1);
                let any = items[i..j].iter().map(|(s, _)| writes(s));
                out.extend(quote! {
                    if #(#any)||* { w.open(#tag, &[]); #inner w.close(#tag); }
                });
            }
            i = j;
        } else {
            out.extend(write_item(spec, path.get(depth..).unwrap_or(&[])));
            i += 1;
        }
    }
    out
}

/// Does this field write anything (for its shared wrappers)?
fn writes(s: &FieldSpec) -> Tokens {
    let ident = &s.ident;
    let some = match (&s.place, s.shape) {
        (Place::Child(_), Shape::Opt) if s.write_default.is_none() => {
            quote!(self.#ident.is_some())
        }
        (Place::Child(_), Shape::Many) => quote!(!self.#ident.is_empty()),
        _ => quote!(true),
    };
    match &s.skip_if {
        Some(p) => quote!((#some && !#p(&self.#ident))),
        None => some,
    }
}

/// Write one field: `steps` are its remaining wrappers and its own element (empty for text and
/// the escape hatch).
fn write_item(s: &FieldSpec, steps: &[QName]) -> Tokens {
    let ident = &s.ident;
    match &s.place {
        Place::Text => {
            return quote! { w.text(&crate::codec::Text::to_text(&self.#ident)); };
        }
        Place::With(module) => return quote! { #module::write(self, w, tag); },
        _ => {}
    }
    let Some((leaf, wrappers)) = steps.split_last() else {
        return Tokens::new();
    };
    let leaf = leaf.tag();
    let opens = wrappers
        .iter()
        .map(QName::tag)
        .map(|t| quote!(w.open(#t, &[]);));
    let closes = wrappers
        .iter()
        .rev()
        .map(QName::tag)
        .map(|t| quote!(w.close(#t);));
    let wrap = |body: Tokens| {
        let opens = opens.clone();
        let closes = closes.clone();
        quote! { #(#opens)* #body #(#closes)* }
    };
    let node = quote!(crate::codec::Node::write_node);
    let body = match s.shape {
        Shape::One => wrap(quote! { #node(&self.#ident, w, #leaf); }),
        Shape::Many => {
            let inner = wrap(quote! { for v in &self.#ident { #node(v, w, #leaf); } });
            quote! { if !self.#ident.is_empty() { #inner } }
        }
        Shape::Opt => {
            let some = wrap(quote! { #node(v, w, #leaf); });
            match &s.write_default {
                Some(d) => quote! {
                    match &self.#ident {
                        ::core::option::Option::Some(v) => { #some }
                        ::core::option::Option::None => { let v = &#d; #some }
                    }
                },
                None => quote! {
                    if let ::core::option::Option::Some(v) = &self.#ident { #some }
                },
            }
        }
    };
    match &s.skip_if {
        Some(p) => quote! { if !#p(&self.#ident) { #body } },
        None => body,
    }
}
