"""Storage: SQLAlchemy 2.x models, the engine and session factory, and Alembic migrations."""
