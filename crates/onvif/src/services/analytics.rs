//! Analytics (ver20): the modules and rules of a video analytics configuration, and the cell
//! motion detector's grid read and written as a
//! [`CellGrid`](crate::proto::ops::analytics::CellGrid).

use onvif_proto::Error as ProtoError;
use onvif_proto::Service;
use onvif_proto::ns::TT;
use onvif_proto::ops::analytics::{
    self, CELL_MOTION_DETECTOR, CELL_MOTION_ENGINE, CellGrid, CellLayout, Config, ConfigDescription,
};
use serde::Serialize;

use crate::camera::Camera;
use crate::error::Error;

/// A cell motion detector rule with its grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MotionRegion {
    /// The video analytics configuration.
    pub configuration: String,
    /// The rule's name.
    pub rule: String,
    /// The cells it watches.
    #[serde(flatten)]
    pub grid: CellGrid,
}

impl Camera {
    /// The video analytics configuration's token: the one given, or the first the camera
    /// lists (through Media2 when it offers it, else Media1).
    pub async fn analytics_configuration_token(
        &self,
        token: Option<&str>,
    ) -> Result<String, Error> {
        if let Some(t) = token {
            return Ok(t.to_owned());
        }
        let listed = if self.has_service(Service::Media2).await? {
            self.call(&analytics::GetAnalyticsConfigurations::default())
                .await?
                .configurations
        } else {
            self.call(&analytics::GetVideoAnalyticsConfigurations)
                .await?
                .configurations
        };
        listed.into_iter().next().map(|c| c.token).ok_or_else(|| {
            Error::Usage(
                "the camera lists no video analytics configuration; name one with --configuration"
                    .into(),
            )
        })
    }

    /// The analytics service's capabilities, flattened (`RuleSupport` -> `true`)
    /// (GetServiceCapabilities).
    pub async fn analytics_capabilities(
        &self,
    ) -> Result<onvif_proto::ops::device::ServiceCapabilities, Error> {
        Ok(self.call(&analytics::GetServiceCapabilities).await?.0)
    }

    /// The kinds of analytics module a configuration supports.
    pub async fn supported_analytics_modules(
        &self,
        configuration: &str,
    ) -> Result<Vec<ConfigDescription>, Error> {
        Ok(self
            .call(&analytics::GetSupportedAnalyticsModules {
                configuration_token: configuration.to_owned(),
            })
            .await?
            .supported
            .descriptions)
    }

    /// The analytics modules of a configuration.
    pub async fn analytics_modules(&self, configuration: &str) -> Result<Vec<Config>, Error> {
        Ok(self
            .call(&analytics::GetAnalyticsModules {
                configuration_token: configuration.to_owned(),
            })
            .await?
            .modules)
    }

    /// The kinds of rule a configuration supports.
    pub async fn supported_rules(
        &self,
        configuration: &str,
    ) -> Result<Vec<ConfigDescription>, Error> {
        Ok(self
            .call(&analytics::GetSupportedRules {
                configuration_token: configuration.to_owned(),
            })
            .await?
            .supported
            .descriptions)
    }

    /// The rules of a configuration.
    pub async fn rules(&self, configuration: &str) -> Result<Vec<Config>, Error> {
        Ok(self
            .call(&analytics::GetRules {
                configuration_token: configuration.to_owned(),
            })
            .await?
            .rules)
    }

    /// Add rules (CreateRules).
    pub async fn create_rules(&self, configuration: &str, rules: Vec<Config>) -> Result<(), Error> {
        self.call(&analytics::CreateRules {
            configuration_token: configuration.to_owned(),
            rules,
        })
        .await?;
        Ok(())
    }

    /// Change rules, found by name (ModifyRules).
    pub async fn modify_rules(&self, configuration: &str, rules: Vec<Config>) -> Result<(), Error> {
        self.call(&analytics::ModifyRules {
            configuration_token: configuration.to_owned(),
            rules,
        })
        .await?;
        Ok(())
    }

    /// Remove rules by name (DeleteRules).
    pub async fn delete_rules(&self, configuration: &str, names: &[String]) -> Result<(), Error> {
        self.call(&analytics::DeleteRules {
            configuration_token: configuration.to_owned(),
            rule_names: names.to_vec(),
        })
        .await?;
        Ok(())
    }

    /// The cell motion engine's layout (the first `tt:CellMotionEngine` module with one).
    pub async fn cell_layout(&self, configuration: &str) -> Result<CellLayout, Error> {
        self.analytics_modules(configuration)
            .await?
            .iter()
            .filter(|m| m.is(TT, CELL_MOTION_ENGINE))
            .find_map(Config::cell_layout)
            .ok_or_else(|| {
                self.device_said(ProtoError::missing(format!(
                    "a cell motion engine with a cell layout (in {configuration:?})"
                )))
            })
    }

    /// The cells the first cell motion detector rule (or the one named) watches, on the
    /// engine's grid.
    pub async fn motion_region(
        &self,
        configuration: &str,
        rule: Option<&str>,
    ) -> Result<MotionRegion, Error> {
        let layout = self.cell_layout(configuration).await?;
        let r = self.cell_motion_rule(configuration, rule).await?;
        let grid = r
            .simple("ActiveCells")
            .ok_or_else(|| {
                self.device_said(ProtoError::missing(format!(
                    "rule {:?}'s ActiveCells",
                    r.name
                )))
            })
            .and_then(|v| {
                CellGrid::from_active_cells(layout.columns, layout.rows, v).map_err(|e| {
                    self.device_said(ProtoError::invalid(
                        format!("rule {:?}'s ActiveCells", r.name),
                        v,
                        e.to_string(),
                    ))
                })
            })?;
        Ok(MotionRegion {
            configuration: configuration.to_owned(),
            rule: r.name,
            grid,
        })
    }

    /// Write `grid` into the cell motion detector rule (the first, or the one named) with
    /// ModifyRules; its other parameters are kept. The grid must match the engine's layout.
    pub async fn set_motion_region(
        &self,
        configuration: &str,
        rule: Option<&str>,
        grid: &CellGrid,
    ) -> Result<(), Error> {
        let layout = self.cell_layout(configuration).await?;
        if (grid.columns(), grid.rows()) != (layout.columns, layout.rows) {
            return Err(Error::Usage(format!(
                "the grid is {}x{}; the camera's layout is {}x{}",
                grid.columns(),
                grid.rows(),
                layout.columns,
                layout.rows
            )));
        }
        let mut r = self.cell_motion_rule(configuration, rule).await?;
        r.set_simple("ActiveCells", &grid.active_cells());
        self.modify_rules(configuration, vec![r]).await
    }

    async fn cell_motion_rule(
        &self,
        configuration: &str,
        rule: Option<&str>,
    ) -> Result<Config, Error> {
        let rules = self.rules(configuration).await?;
        let names: Vec<String> = rules.iter().map(|r| r.name.clone()).collect();
        rules
            .into_iter()
            .filter(|r| r.is(TT, CELL_MOTION_DETECTOR))
            .find(|r| rule.is_none_or(|n| r.name == n))
            .ok_or_else(|| match rule {
                Some(n) => Error::Usage(format!(
                    "no cell motion detector rule named {n:?} (rules: {})",
                    names.join(", ")
                )),
                None => self.device_said(ProtoError::missing(format!(
                    "a cell motion detector rule (in {configuration:?})"
                ))),
            })
    }

    /// The camera's answers lack what the operation needs: a device error.
    fn device_said(&self, source: ProtoError) -> Error {
        Error::Protocol {
            url: self.device_url().to_string(),
            source,
        }
    }
}
