//! SOAP actions of the event operations: they follow the WSDL port types
//! (`.../EventPortType/GetEventPropertiesRequest`), not the `{namespace}/{name}` rule.

/// GetEventProperties.
pub const GET_EVENT_PROPERTIES: &str =
    "http://www.onvif.org/ver10/events/wsdl/EventPortType/GetEventPropertiesRequest";
/// GetServiceCapabilities.
pub const GET_SERVICE_CAPABILITIES: &str =
    "http://www.onvif.org/ver10/events/wsdl/EventPortType/GetServiceCapabilitiesRequest";
/// CreatePullPointSubscription.
pub const CREATE_PULL_POINT_SUBSCRIPTION: &str =
    "http://www.onvif.org/ver10/events/wsdl/EventPortType/CreatePullPointSubscriptionRequest";
/// PullMessages.
pub const PULL_MESSAGES: &str =
    "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest";
/// SetSynchronizationPoint.
pub const SET_SYNCHRONIZATION_POINT: &str =
    "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/SetSynchronizationPointRequest";
/// Seek.
pub const SEEK: &str = "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/SeekRequest";
/// Renew.
pub const RENEW: &str = "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest";
/// Subscribe (push).
pub const SUBSCRIBE: &str =
    "http://docs.oasis-open.org/wsn/bw-2/NotificationProducer/SubscribeRequest";
/// GetCurrentMessage.
pub const GET_CURRENT_MESSAGE: &str =
    "http://docs.oasis-open.org/wsn/bw-2/NotificationProducer/GetCurrentMessageRequest";
/// Notify (sent by the camera to a push consumer).
pub const NOTIFY: &str = "http://docs.oasis-open.org/wsn/bw-2/NotificationConsumer/Notify";
/// Unsubscribe.
pub const UNSUBSCRIBE: &str =
    "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest";
