"""The full-text indexes search retrieves candidates from (see search_backends.py).

- SQLite: an FTS5 table per model, rowid = the row's id, one column per field group.
- PostgreSQL: a weighted ``search_vector`` tsvector column per model, with a GIN index.

Both hold text analysed by Guichet; they are filled by the actions and the loader, and rows
indexed before this migration are indexed by the first search. A no-op on other databases.
"""

from django.db import migrations

TABLES = ("catalogue_procedure", "catalogue_article")
FTS_COLUMNS = "title, keywords, summary, body, agent_note"


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_fts USING fts5({FTS_COLUMNS}, "
                "tokenize = 'unicode61 remove_diacritics 0')"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector"
            )
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_search_vector "
                f"ON {table} USING GIN (search_vector)"
            )


def drop_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_vector")
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0005_vocabulary_and_search_log"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
