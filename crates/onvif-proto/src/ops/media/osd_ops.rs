//! The OSD operations: Media2's requests and answers ([`v2`], re-exported by `ops::media2`) and
//! Media1's answers ([`v1`], re-exported by `ops::media`), which cameras that predate Media2
//! send. Both carry the model of [`super::osd`].

/// Media2 (`tr2:`): GetOSDs, GetOSDOptions, CreateOSD, SetOSD, DeleteOSD.
pub mod v2 {
    use serde::Serialize;

    use crate::codec::Xml;
    use crate::operation;
    use crate::ops::media::osd::{OsdConfiguration, OsdOptions};

    /// The OSDs of the camera, or the one named, or those of a video source configuration.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
    #[xml(root = "tr2:GetOSDs")]
    pub struct GetOsds {
        /// Only this OSD.
        #[xml(child = "tr2:OSDToken")]
        pub osd_token: Option<String>,
        /// Only the OSDs of this video source configuration.
        #[xml(child = "tr2:ConfigurationToken")]
        pub configuration_token: Option<String>,
    }
    operation!(GetOsds => Osds, idempotent = true);

    /// The answer to GetOSDs.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
    #[xml(root = "tr2:GetOSDsResponse")]
    pub struct Osds {
        /// Every OSD asked for.
        #[xml(child = "tr2:OSDs")]
        pub osds: Vec<OsdConfiguration>,
    }

    /// What OSDs a video source configuration accepts.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
    #[xml(root = "tr2:GetOSDOptions")]
    pub struct GetOsdOptions {
        /// The video source configuration.
        #[xml(child = "tr2:ConfigurationToken")]
        pub configuration_token: String,
    }
    operation!(GetOsdOptions => OsdOptionsResponse, idempotent = true);

    /// The answer to GetOSDOptions.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
    #[serde(transparent)]
    #[xml(root = "tr2:GetOSDOptionsResponse")]
    pub struct OsdOptionsResponse {
        /// The options.
        #[xml(child = "tr2:OSDOptions")]
        pub options: OsdOptions,
    }

    /// Add an OSD; the camera chooses its token.
    #[derive(Debug, Clone, PartialEq, Serialize, Xml)]
    #[xml(root = "tr2:CreateOSD")]
    pub struct CreateOsd {
        /// The OSD (its token is ignored).
        #[xml(child = "tr2:OSD")]
        pub osd: OsdConfiguration,
    }
    // Twice is two OSDs.
    operation!(CreateOsd => CreateOsdResponse, idempotent = false);

    /// The answer to CreateOSD.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
    #[xml(root = "tr2:CreateOSDResponse")]
    pub struct CreateOsdResponse {
        /// The new OSD's token.
        #[xml(child = "tr2:OSDToken")]
        pub token: String,
    }

    /// Change an OSD (the one its token names).
    #[derive(Debug, Clone, PartialEq, Serialize, Xml)]
    #[xml(root = "tr2:SetOSD")]
    pub struct SetOsd {
        /// The OSD as it shall be.
        #[xml(child = "tr2:OSD")]
        pub osd: OsdConfiguration,
    }
    operation!(SetOsd => SetOsdResponse, idempotent = true);

    /// The empty answer to SetOSD.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
    #[xml(root = "tr2:SetOSDResponse")]
    pub struct SetOsdResponse;

    /// Remove an OSD.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
    #[xml(root = "tr2:DeleteOSD")]
    pub struct DeleteOsd {
        /// The OSD's token.
        #[xml(child = "tr2:OSDToken")]
        pub osd_token: String,
    }
    operation!(DeleteOsd => DeleteOsdResponse, idempotent = true);

    /// The empty answer to DeleteOSD.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
    #[xml(root = "tr2:DeleteOSDResponse")]
    pub struct DeleteOsdResponse;
}

/// Media1 (`trt:`): its OSD operations, which cameras without Media2 (and many with it)
/// serve. Media1's GetOSDs has no `OSDToken` (its GetOSD asks for one by token).
pub mod v1 {
    use serde::Serialize;

    use crate::codec::Xml;
    use crate::operation;
    use crate::ops::media::osd::{OsdConfiguration, OsdOptions};

    /// The OSDs of the camera, or those of a video source configuration.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
    #[xml(root = "trt:GetOSDs")]
    pub struct GetOsds {
        /// Only the OSDs of this video source configuration.
        #[xml(child = "trt:ConfigurationToken")]
        pub configuration_token: Option<String>,
    }
    operation!(GetOsds => Osds, idempotent = true);

    /// What OSDs a video source configuration accepts.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
    #[xml(root = "trt:GetOSDOptions")]
    pub struct GetOsdOptions {
        /// The video source configuration.
        #[xml(child = "trt:ConfigurationToken")]
        pub configuration_token: String,
    }
    operation!(GetOsdOptions => OsdOptionsResponse, idempotent = true);

    /// Add an OSD; the camera chooses its token.
    #[derive(Debug, Clone, PartialEq, Serialize, Xml)]
    #[xml(root = "trt:CreateOSD")]
    pub struct CreateOsd {
        /// The OSD (its token is ignored).
        #[xml(child = "trt:OSD")]
        pub osd: OsdConfiguration,
    }
    // Twice is two OSDs.
    operation!(CreateOsd => CreateOsdResponse, idempotent = false);

    /// Change an OSD (the one its token names).
    #[derive(Debug, Clone, PartialEq, Serialize, Xml)]
    #[xml(root = "trt:SetOSD")]
    pub struct SetOsd {
        /// The OSD as it shall be.
        #[xml(child = "trt:OSD")]
        pub osd: OsdConfiguration,
    }
    operation!(SetOsd => SetOsdResponse, idempotent = true);

    /// Remove an OSD.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
    #[xml(root = "trt:DeleteOSD")]
    pub struct DeleteOsd {
        /// The OSD's token.
        #[xml(child = "trt:OSDToken")]
        pub osd_token: String,
    }
    operation!(DeleteOsd => DeleteOsdResponse, idempotent = true);

    /// The answer to Media1's GetOSDs.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
    #[xml(root = "trt:GetOSDsResponse")]
    pub struct Osds {
        /// Every OSD asked for.
        #[xml(child = "trt:OSDs")]
        pub osds: Vec<OsdConfiguration>,
    }

    /// The answer to Media1's GetOSDOptions.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Xml)]
    #[serde(transparent)]
    #[xml(root = "trt:GetOSDOptionsResponse")]
    pub struct OsdOptionsResponse {
        /// The options.
        #[xml(child = "trt:OSDOptions")]
        pub options: OsdOptions,
    }

    /// The answer to Media1's CreateOSD.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Xml)]
    #[xml(root = "trt:CreateOSDResponse")]
    pub struct CreateOsdResponse {
        /// The new OSD's token.
        #[xml(child = "trt:OSDToken")]
        pub token: String,
    }

    /// The empty answer to Media1's SetOSD.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
    #[xml(root = "trt:SetOSDResponse")]
    pub struct SetOsdResponse;

    /// The empty answer to Media1's DeleteOSD.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Xml)]
    #[xml(root = "trt:DeleteOSDResponse")]
    pub struct DeleteOsdResponse;
}
