//! System: where the device serves its logs and backups (GetSystemUris), a log itself
//! (GetSystemLog, as text or as an MTOM attachment), the factory reset, and where its WSDL is
//! (GetWsdlUrl), and where a firmware image or a configuration backup is uploaded
//! (StartFirmwareUpgrade, StartSystemRestore).

use std::time::Duration;

use serde::Serialize;

use crate::codec::Xml;
use crate::{operation, xml_enum};

// ---------------------------------------------------------------------------------------------
// GetSystemUris

/// Ask where the device serves its logs, support information and backup over HTTP.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetSystemUris")]
pub struct GetSystemUris;
operation!(GetSystemUris => SystemUris, idempotent = true);

/// One log's address (`tt:SystemLogUri`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct SystemLogUri {
    /// `System` or `Access`, as the device writes it.
    #[xml(child = "tt:Type", default)]
    pub kind: String,
    /// The address; `None` when the device left it empty.
    #[xml(child = "tt:Uri")]
    pub uri: Option<String>,
}

/// The answer to GetSystemUris; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetSystemUrisResponse")]
pub struct SystemUris {
    /// The logs' addresses.
    #[xml(child = "tds:SystemLogUris/tt:SystemLog")]
    pub system_logs: Vec<SystemLogUri>,
    /// The support information's address; `None` when absent or empty.
    #[xml(child = "tds:SupportInfoUri")]
    pub support_info: Option<String>,
    /// The system backup's address; `None` when absent or empty.
    #[xml(child = "tds:SystemBackupUri")]
    pub system_backup: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// GetSystemLog

xml_enum! {
    /// Which log.
    pub SystemLogType {
        /// The system log.
        System = "System",
        /// Who logged in and what they did.
        Access = "Access",
    }
}

/// Ask for a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetSystemLog")]
pub struct GetSystemLog {
    /// Which log.
    #[xml(child = "tds:LogType")]
    pub log_type: SystemLogType,
}
operation!(GetSystemLog => SystemLog, idempotent = true);

/// An MTOM reference (`xop:Include`) to a part of a multipart answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct XopInclude {
    /// The part it names: `cid:` and the part's Content-ID, as the device wrote it.
    #[xml(attr = "href", default)]
    pub href: String,
}

impl XopInclude {
    /// The Content-ID the reference names: without `cid:` and the angle brackets some
    /// devices put around it.
    pub fn content_id(&self) -> String {
        let h = self.href.trim();
        let h = h.strip_prefix("cid:").unwrap_or(h);
        h.trim_start_matches('<').trim_end_matches('>').to_owned()
    }
}

/// A log sent as an attachment (`tt:AttachmentData`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Xml)]
pub struct LogAttachment {
    /// Where in the multipart answer the log is.
    #[xml(child = "xop:Include")]
    pub include: Option<XopInclude>,
}

/// The answer to GetSystemLog: the log as text, or as an attachment of a multipart answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetSystemLogResponse")]
pub struct SystemLog {
    /// The log as an attachment, when sent so.
    #[xml(child = "tds:SystemLog/tt:Binary")]
    pub binary: Option<LogAttachment>,
    /// The log as text, when sent so.
    #[xml(child = "tds:SystemLog/tt:String")]
    pub text: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// SetSystemFactoryDefault

xml_enum! {
    /// How far a factory reset goes.
    pub FactoryDefault {
        /// Everything, network settings included: the device may get another address.
        Hard = "Hard",
        /// Everything but what keeps the device reachable (its network settings).
        Soft = "Soft",
    }
}

/// Reset the device's settings to the factory's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetSystemFactoryDefault")]
pub struct SetSystemFactoryDefault {
    /// Soft or hard.
    #[xml(child = "tds:FactoryDefault")]
    pub kind: FactoryDefault,
}

/// The empty answer to SetSystemFactoryDefault.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:SetSystemFactoryDefaultResponse")]
pub struct SetSystemFactoryDefaultResponse;
operation!(SetSystemFactoryDefault => SetSystemFactoryDefaultResponse, idempotent = false);

// ---------------------------------------------------------------------------------------------
// GetWsdlUrl

/// Ask where the device's WSDL and schema documents are (mandatory, answered without
/// authentication; most devices name `http://www.onvif.org/`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:GetWsdlUrl")]
pub struct GetWsdlUrl;
operation!(GetWsdlUrl => WsdlUrl, idempotent = true);

/// The answer to GetWsdlUrl.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[serde(transparent)]
#[xml(root = "tds:GetWsdlUrlResponse")]
pub struct WsdlUrl {
    /// The address, as the device wrote it.
    #[xml(child = "tds:WsdlUrl", default)]
    pub url: String,
}

// ---------------------------------------------------------------------------------------------
// StartFirmwareUpgrade, StartSystemRestore

/// Ask where to upload a firmware image. The device answers an address to POST the image to
/// (`application/octet-stream`); it reprograms itself once the upload is complete, then
/// restarts. An invalid image is refused with `415 Unsupported Media Type`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:StartFirmwareUpgrade")]
pub struct StartFirmwareUpgrade;
operation!(StartFirmwareUpgrade => FirmwareUpload, idempotent = false);

/// The answer to StartFirmwareUpgrade.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:StartFirmwareUpgradeResponse")]
pub struct FirmwareUpload {
    /// Where to POST the image.
    #[xml(child = "tds:UploadUri", default)]
    pub upload_uri: String,
    /// How long to wait before uploading; `None` when not given (or not a duration).
    #[serde(serialize_with = "crate::time::ser_opt_duration")]
    #[xml(child = "tds:UploadDelay", lenient)]
    pub upload_delay: Option<Duration>,
    /// How long the device expects to be away once the upload is complete (a best-effort
    /// estimate); `None` when not given.
    #[serde(serialize_with = "crate::time::ser_opt_duration")]
    #[xml(child = "tds:ExpectedDownTime", lenient)]
    pub expected_down_time: Option<Duration>,
}

/// Ask where to upload a configuration backup to restore. As with
/// [`StartFirmwareUpgrade`], the backup is POSTed to the address answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:StartSystemRestore")]
pub struct StartSystemRestore;
operation!(StartSystemRestore => RestoreUpload, idempotent = false);

/// The answer to StartSystemRestore.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
#[xml(root = "tds:StartSystemRestoreResponse")]
pub struct RestoreUpload {
    /// Where to POST the backup.
    #[xml(child = "tds:UploadUri", default)]
    pub upload_uri: String,
    /// How long the device expects to be away once the upload is complete; `None` when not
    /// given.
    #[serde(serialize_with = "crate::time::ser_opt_duration")]
    #[xml(child = "tds:ExpectedDownTime", lenient)]
    pub expected_down_time: Option<Duration>,
}
