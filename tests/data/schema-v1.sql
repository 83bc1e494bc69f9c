-- A servant database at schema v1 (migration m001_people_and_occasions, as first released:
-- occasion_md on md alone) with two people, made with `sqlite3 servant.db .dump`. Do not
-- edit it: tests/test_migrate.py opens it to check that a database from that release
-- still opens, and that later migrations upgrade it to the schema a new database gets.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE IF NOT EXISTS "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
INSERT INTO _sqlite_migrations VALUES(1,'servant','m001_people_and_occasions','2026-11-22 22:47:23.264377+00:00');
CREATE TABLE person (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                company TEXT,
                email TEXT,
                phone TEXT,
                tags TEXT NOT NULL DEFAULT '[]',
                notes TEXT,
                every_days INTEGER,
                related_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
                relation TEXT,
                source_uid TEXT,
                created TEXT NOT NULL,
                updated TEXT NOT NULL
            );
INSERT INTO person VALUES(1,'Ada Lovelace','Analytical Engines','ada@example.com',NULL,'["Client", "vip"]',NULL,NULL,NULL,NULL,NULL,'2026-11-22T22:47:23Z','2026-11-22T22:47:23Z');
INSERT INTO person VALUES(2,'Bob Ng',NULL,NULL,NULL,'["family"]','Likes jazz',30,NULL,NULL,NULL,'2026-11-22T22:47:23Z','2026-11-22T22:47:23Z');
CREATE TABLE occasion (
                id INTEGER PRIMARY KEY,
                person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                label TEXT NOT NULL DEFAULT '',
                month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
                day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
                year INTEGER,
                md INTEGER NOT NULL,
                yearly INTEGER NOT NULL DEFAULT 1,
                lead_days INTEGER,
                plan TEXT,
                created TEXT NOT NULL,
                updated TEXT NOT NULL,
                sequence INTEGER NOT NULL DEFAULT 0
            );
INSERT INTO occasion VALUES(1,1,'birthday','',12,10,1815,1210,1,14,'card','2026-11-22T22:47:23Z','2026-11-22T22:47:23Z',0);
INSERT INTO occasion VALUES(2,1,'client-since','',3,1,2019,301,1,NULL,NULL,'2026-11-22T22:47:23Z','2026-11-22T22:47:23Z',0);
INSERT INTO occasion VALUES(3,2,'birthday','',2,29,1988,229,1,NULL,NULL,'2026-11-22T22:47:23Z','2026-11-22T22:47:23Z',0);
INSERT INTO occasion VALUES(4,2,'custom','Name day',6,21,NULL,621,1,NULL,NULL,'2026-11-22T22:47:23Z','2026-11-22T22:47:23Z',0);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES('schema_version','1');
INSERT INTO meta VALUES('db_id','16996d5d1692d893');
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE INDEX occasion_md ON occasion(md);
CREATE INDEX occasion_person ON occasion(person_id);
CREATE UNIQUE INDEX occasion_unique ON occasion(person_id, kind, label COLLATE NOCASE);
CREATE INDEX person_name ON person(name COLLATE NOCASE);
COMMIT;
