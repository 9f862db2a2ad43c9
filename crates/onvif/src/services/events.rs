//! The event service's operations on [`Camera`](crate::Camera): properties, capabilities, current messages,
//! seeking a pull point. Sessions that follow events are in [`crate::events`].

use jiff::Timestamp;
use onvif_proto::ops::events::{
    self, EndpointReference, KindTable, NotificationMessage, Topic, TopicFilter,
};

use crate::camera::Camera;
use crate::error::Error;
use crate::events::item::Event;
use crate::util::message_id;

impl Camera {
    /// The camera's event properties: its topic tree with each topic's items.
    pub async fn event_properties(&self) -> Result<events::EventProperties, Error> {
        self.call(&events::GetEventProperties).await
    }

    /// The current message on one topic (`tns1:Device/Trigger/DigitalInput`; the `tns1`
    /// prefix is declared), as an [`Event`] classified with the default kind table; `None`
    /// when the camera has none (`NoCurrentMessageOnTopicFault`).
    pub async fn current_message(&self, topic: &str) -> Result<Option<Event>, Error> {
        let filter = TopicFilter {
            dialect: events::dialect::CONCRETE.to_owned(),
            ..TopicFilter::concrete_set(topic)
        };
        match self
            .call(&events::GetCurrentMessage {
                topic: filter.clone(),
            })
            .await
        {
            Ok(r) => Ok(r.message.map(|message| {
                let mut el = onvif_proto::xml::Element::new(None, "Topic");
                el.scope = filter.namespaces.clone().into();
                let m = NotificationMessage {
                    topic: Topic::resolve(&el, topic),
                    subscription_address: None,
                    producer_address: None,
                    message,
                };
                Event::from_message(m, &KindTable::default())
            })),
            Err(e)
                if e.fault().is_some_and(|f| {
                    f.subcodes
                        .iter()
                        .any(|s| s.name == "NoCurrentMessageOnTopicFault")
                }) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// The event service's capabilities.
    pub async fn event_service_capabilities(&self) -> Result<events::ServiceCapabilities, Error> {
        self.call(&events::GetServiceCapabilities).await
    }

    /// Seek a pull point, where the camera offers it (`PersistentNotificationStorage` in
    /// [`Camera::event_service_capabilities`]; others answer `ActionNotSupported`): the next
    /// PullMessages on `subscription` delivers the stored messages from `utc_time` on, or with
    /// `reverse` backwards from it. Sent to the subscription's address with `wsa:To`,
    /// `wsa:Action`, a fresh `wsa:MessageID` and every reference parameter, as PullMessages is.
    pub async fn seek(
        &self,
        subscription: &EndpointReference,
        utc_time: Timestamp,
        reverse: bool,
    ) -> Result<(), Error> {
        let reported = &subscription.address;
        let url = self.subscription_url(reported)?;
        let op = events::Seek {
            utc_time,
            reverse: reverse.then_some(true),
        };
        let headers = subscription.header_xml(events::action::SEEK, &message_id());
        self.call_at_with_headers(&url, &op, &headers).await?;
        Ok(())
    }
}
