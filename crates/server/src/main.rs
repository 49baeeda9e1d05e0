//! `xiezhi`: the one binary of the platform.

mod admin;
mod app;
mod config;
mod demo_clues;
mod seed;
mod seed_history;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "xiezhi", version, about = "獬豸 — 丽水市智慧执法平台")]
struct Cli {
    /// Configuration file (TOML, same layout as config/default.toml).
    #[arg(long, global = true, env = "XIEZHI_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory (overrides storage.data_dir).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Database URL (overrides storage.database_url).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve {
        /// Address to listen on (overrides server.listen).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Apply database migrations and load default reference data.
    Migrate,
    /// Fill the database with Lishui demo data and print the generated demo accounts.
    SeedDemo {
        /// Clues of the demo history (last 18 months); 0 skips it. Only added to an empty case table.
        #[arg(long, default_value_t = 50_000)]
        cases: usize,
    },
    /// Print the OpenAPI specification (JSON).
    Openapi,
    /// Administrator accounts, managed on the server console.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Verify the audit hash chain; exits 1 when a row was edited, deleted or inserted directly.
    Verify,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut cfg = match config::Config::load(cli.config.as_deref(), std::env::vars()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(d) = cli.data_dir {
        cfg.storage.data_dir = d;
    }
    if let Some(u) = cli.database_url {
        cfg.storage.database_url = u;
    }
    if let Some(Command::Serve { listen: Some(l) }) = &cli.command {
        cfg.server.listen = l.clone();
    }
    app::init_tracing(&cfg);
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async move {
        match cli.command.unwrap_or(Command::Serve { listen: None }) {
            Command::Serve { .. } => app::serve(cfg).await,
            Command::Migrate => app::migrate(&cfg).await.map(|_| ExitCode::SUCCESS),
            Command::SeedDemo { cases } => seed::run(&cfg, cases).await.map(|_| ExitCode::SUCCESS),
            Command::Openapi => {
                let spec = xiezhi_api::openapi();
                match spec.to_pretty_json() {
                    Ok(s) => {
                        println!("{s}");
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => Err(app::AppError::Other(e.to_string())),
                }
            }
            Command::Admin { command } => admin::run(&cfg, command).await.map(|_| ExitCode::SUCCESS),
            Command::Audit { command: AuditCommand::Verify } => app::audit_verify(&cfg).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
