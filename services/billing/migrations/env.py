from services.infra.migrations import run_migrations

run_migrations()
