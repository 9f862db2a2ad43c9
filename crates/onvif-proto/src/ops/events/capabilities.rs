//! GetServiceCapabilities of the event service.

use serde::Serialize;

use super::action;
use crate::codec::{ElementName, Node, Xml};
use crate::error::Error;
use crate::ns::TEV;
use crate::operation;
use crate::ops::message::{Message, expect};
use crate::xml::{Element, Writer};

/// `tev:GetServiceCapabilities`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tev:GetServiceCapabilities")]
pub struct GetServiceCapabilities;
operation!(GetServiceCapabilities => ServiceCapabilities, idempotent = true,
    action = action::GET_SERVICE_CAPABILITIES);

/// `tev:GetServiceCapabilitiesResponse`: the attributes of `tev:Capabilities`, each absent
/// when unreadable. The derive declares the attributes (of `tev:Capabilities`); the response
/// element around it is written and read by hand ([`Message`] below), as the derive reads
/// attributes of its own element only.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Xml)]
pub struct ServiceCapabilities {
    /// WSSubscriptionPolicySupport.
    #[xml(attr = "WSSubscriptionPolicySupport", lenient)]
    pub ws_subscription_policy_support: Option<bool>,
    /// WSPullPointSupport.
    #[xml(attr = "WSPullPointSupport", lenient)]
    pub ws_pull_point_support: Option<bool>,
    /// WSPausableSubscriptionManagerInterfaceSupport.
    #[xml(attr = "WSPausableSubscriptionManagerInterfaceSupport", lenient)]
    pub ws_pausable_subscription_manager_interface_support: Option<bool>,
    /// MaxNotificationProducers.
    #[xml(attr = "MaxNotificationProducers", lenient)]
    pub max_notification_producers: Option<u32>,
    /// MaxPullPoints.
    #[xml(attr = "MaxPullPoints", lenient)]
    pub max_pull_points: Option<u32>,
    /// PersistentNotificationStorage.
    #[xml(attr = "PersistentNotificationStorage", lenient)]
    pub persistent_notification_storage: Option<bool>,
}

impl Message for ServiceCapabilities {
    const ELEMENT: ElementName = ElementName {
        ns: TEV,
        prefix: "tev",
        name: "GetServiceCapabilitiesResponse",
    };

    fn write(&self, w: &mut Writer) {
        w.open("tev:GetServiceCapabilitiesResponse", &[]);
        self.write_node(w, "tev:Capabilities");
        w.close("tev:GetServiceCapabilitiesResponse");
    }

    /// Without `tev:Capabilities`, nothing is known: every flag is absent.
    fn read(el: &Element) -> Result<Self, Error> {
        expect(el, TEV, "GetServiceCapabilitiesResponse")?;
        match el.child(TEV, "Capabilities") {
            Some(c) => ServiceCapabilities::read_node(c),
            None => Ok(ServiceCapabilities::default()),
        }
    }
}
