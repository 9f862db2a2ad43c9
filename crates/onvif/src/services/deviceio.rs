//! Relay outputs and digital inputs: through the DeviceIO service when the camera offers it,
//! else through the device service's relay operations (which have no inputs or options).

use onvif_proto::ops::Service;
use onvif_proto::ops::deviceio::{
    self, DigitalInput, RelayLogicalState, RelayOutput, RelayOutputOptions, RelayOutputSettings,
};

use crate::camera::Camera;
use crate::error::Error;

impl Camera {
    /// Does the camera offer the DeviceIO service?
    async fn has_device_io(&self) -> Result<bool, Error> {
        self.has_service(Service::DeviceIo).await
    }

    /// The relay outputs and their settings (GetRelayOutputs).
    pub async fn relay_outputs(&self) -> Result<Vec<RelayOutput>, Error> {
        let relays = if self.has_device_io().await? {
            self.call(&deviceio::IoGetRelayOutputs).await?
        } else {
            self.call(&deviceio::GetRelayOutputs).await?
        };
        Ok(relays.relays)
    }

    /// Activate (`Active`) or release a relay (SetRelayOutputState). A monostable relay goes
    /// back to idle by itself after its delay.
    pub async fn set_relay_state(
        &self,
        token: &str,
        state: RelayLogicalState,
    ) -> Result<(), Error> {
        let token = token.to_owned();
        if self.has_device_io().await? {
            self.call(&deviceio::IoSetRelayOutputState { token, state })
                .await?;
        } else {
            self.call(&deviceio::SetRelayOutputState { token, state })
                .await?;
        }
        Ok(())
    }

    /// Change a relay's mode, delay and idle state (SetRelayOutputSettings).
    pub async fn set_relay_settings(
        &self,
        token: &str,
        properties: RelayOutputSettings,
    ) -> Result<(), Error> {
        let token = token.to_owned();
        if self.has_device_io().await? {
            self.call(&deviceio::IoSetRelayOutputSettings {
                relay: RelayOutput { token, properties },
            })
            .await?;
        } else {
            self.call(&deviceio::SetRelayOutputSettings { token, properties })
                .await?;
        }
        Ok(())
    }

    /// The modes and delay times of one relay, or of all (GetRelayOutputOptions; DeviceIO
    /// only).
    pub async fn relay_output_options(
        &self,
        token: Option<&str>,
    ) -> Result<Vec<RelayOutputOptions>, Error> {
        Ok(self
            .call(&deviceio::GetRelayOutputOptions {
                token: token.map(str::to_owned),
            })
            .await?
            .options)
    }

    /// The digital inputs and their idle states (GetDigitalInputs; DeviceIO only).
    pub async fn digital_inputs(&self) -> Result<Vec<DigitalInput>, Error> {
        Ok(self.call(&deviceio::GetDigitalInputs).await?.inputs)
    }
}
