//! Contracts shared by our clients of the external systems and the simulators of them: request
//! signing, envelopes and message types. What is public about each system is in
//! `../shared/domain-notes.md`; what we had to design is documented in `docs/integrations/`.

pub mod gateway;
pub mod irs;
pub mod province;
