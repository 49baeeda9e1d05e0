//! Repositories of the platform module: regions, departments, users, roles and permissions,
//! sessions, dictionaries, portal tiles and the enforcement-item catalogue.

pub mod department;
pub mod dict;
pub mod item;
pub mod portal;
pub mod region;
pub mod role;
pub mod session;
pub mod user;
