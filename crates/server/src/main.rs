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

/// mimalloc instead of glibc's malloc: the intake's requests allocate and free many small objects
/// across threads, which cost glibc about a sixth of the server's CPU (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Run the simulator of an external system on its own port (offline demos and tests).
    Sim {
        #[command(subcommand)]
        system: SimCommand,
    },
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
enum SimCommand {
    /// The provincial enforcement platform (seven interfaces behind the IRS-style gateway).
    Province {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:9601")]
        listen: String,
        /// App key and secret the gateway accepts (the province settings of the platform).
        #[arg(long)]
        app_key: String,
        #[arg(long, env = "XIEZHI_SIM_APP_SECRET")]
        app_secret: String,
        /// Where feedback is pushed (the platform's /api/integration/province/feedback); empty = queries only.
        #[arg(long, default_value = "")]
        feedback_url: String,
        /// Milliseconds from receipt to transfer, and from transfer to the disposal result.
        #[arg(long, default_value_t = 60_000)]
        review_ms: i64,
        #[arg(long, default_value_t = 300_000)]
        dispose_ms: i64,
    },
    /// 浙政钉 (ZZD): QR log-in page, org tree, work-notification inbox; accepts the demo app and `--app-key`.
    Zzd {
        #[arg(long, default_value = "127.0.0.1:9602")]
        listen: String,
        #[arg(long)]
        app_key: Option<String>,
        #[arg(long, env = "XIEZHI_SIM_APP_SECRET")]
        app_secret: Option<String>,
    },
    /// The IRS data platform of the big-data bureau: synthetic Lishui enforcement datasets with paging.
    Irs {
        #[arg(long, default_value = "127.0.0.1:9604")]
        listen: String,
        #[arg(long)]
        app_key: String,
        #[arg(long, env = "XIEZHI_SIM_APP_SECRET")]
        app_secret: String,
        /// Records in all datasets together; the same seed and size serve the same records.
        #[arg(long, default_value_t = 100_000)]
        records: u64,
        #[arg(long, default_value_t = 20_240_601)]
        seed: u64,
    },
    /// The provincial Internet+Supervision platform (joint-inspection records).
    Supervision {
        #[arg(long, default_value = "127.0.0.1:9603")]
        listen: String,
        #[arg(long)]
        app_key: String,
        #[arg(long, env = "XIEZHI_SIM_APP_SECRET")]
        app_secret: String,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Verify the audit hash chain; exits 1 when a row was edited, deleted or inserted directly.
    Verify,
}

/// Transparent huge pages off for this process, unless `MIMALLOC_ALLOW_THP` is set (mimalloc's
/// own switch, read when it starts). mimalloc asks the kernel for huge pages on its arenas, and
/// the first touch of each then zeroes and keeps 2 MiB however little of it is used: under batch
/// intake the writer spent about a tenth of its time in such faults, and the server held 40–60 MiB
/// more after the load, for no throughput measurably gained (docs/performance.md, eleventh round).
fn without_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none()
        && let Err(e) = nix::sys::prctl::set_thp_disable(true)
    {
        tracing::warn!(error = %e, "cannot switch transparent huge pages off");
    }
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
    without_transparent_huge_pages();
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
            Command::Sim { system } => sim(system).await,
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

async fn sim(system: SimCommand) -> Result<ExitCode, app::AppError> {
    let (listen, name, router, runner) = match system {
        SimCommand::Province { listen, app_key, app_secret, feedback_url, review_ms, dispose_ms } => {
            let sim = xiezhi_sim::province::ProvinceSim::new(xiezhi_sim::province::ProvinceConfig {
                review_ms,
                dispose_ms,
                feedback_url,
                feedback_app_key: app_key.clone(),
                feedback_secret: app_secret.clone(),
            });
            sim.gateway.register(&app_key, &app_secret);
            let runner = tokio::spawn(sim.clone().run());
            (listen, "省执法平台模拟器 / province simulator", xiezhi_sim::province::router(sim), Some(runner))
        }
        SimCommand::Zzd { listen, app_key, app_secret } => {
            let sim = std::sync::Arc::new(xiezhi_sim::zzd::ZzdSim::new());
            if let (Some(k), Some(s)) = (app_key, app_secret) {
                sim.register(&k, &s);
            }
            (listen, "浙政钉模拟器 / ZZD simulator", xiezhi_sim::zzd::router(sim), None)
        }
        SimCommand::Irs { listen, app_key, app_secret, records, seed } => {
            let sim =
                std::sync::Arc::new(xiezhi_sim::irs::IrsSim::new(xiezhi_sim::irs::IrsConfig { seed, total: records }));
            sim.register(&app_key, &app_secret);
            (listen, "IRS 数据平台模拟器 / IRS data platform simulator", xiezhi_sim::irs::router(sim), None)
        }
        SimCommand::Supervision { listen, app_key, app_secret } => {
            let sim = xiezhi_sim::supervision::SupervisionSim::new();
            sim.gateway.register(&app_key, &app_secret);
            (listen, "互联网+监管模拟器 / Internet+Supervision simulator", xiezhi_sim::supervision::router(sim), None)
        }
    };
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .map_err(|e| app::AppError::Other(format!("cannot listen on {listen}: {e}")))?;
    let addr = listener.local_addr().map_err(|e| app::AppError::Other(e.to_string()))?;
    println!("{name} at http://{addr}  (operator routes under /_sim/)");
    axum::serve(listener, router)
        .with_graceful_shutdown(app::shutdown_signal())
        .await
        .map_err(|e| app::AppError::Other(e.to_string()))?;
    if let Some(r) = runner {
        r.abort();
    }
    Ok(ExitCode::SUCCESS)
}
