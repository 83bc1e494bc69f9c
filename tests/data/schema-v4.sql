-- A servant database at schema v4: the first 4 of servant's migration steps
-- (m001_people_and_occasions to m004_person_sequence) applied to a blank database,
-- then four people and their dates written as that version of servant wrote them,
-- person #3 removed (so the ids have a gap), dumped with Python's sqlite3 iterdump().
-- Do not edit: tests/test_schema_versions.py checks that it has the schema those steps
-- build, and that upgrading it to the current schema keeps every row and id.
BEGIN TRANSACTION;
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
INSERT INTO "_sqlite_migrations" VALUES(1,'servant','m001_people_and_occasions','2026-11-23 09:00:01.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(2,'servant','m002_ids_never_reused','2026-11-23 09:00:02.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(3,'servant','m003_covering_index_and_name_key','2026-11-23 09:00:03.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(4,'servant','m004_person_sequence','2026-11-23 09:00:04.000000+00:00');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO "meta" VALUES('schema_version','4');
INSERT INTO "meta" VALUES('db_id','5e7a000000000004');
CREATE TABLE "occasion" (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO "occasion" VALUES(1,1,'birthday','',12,10,1815,1210,1,14,'card','2026-11-23T09:00:00Z','2026-11-23T09:00:00Z',2);
INSERT INTO "occasion" VALUES(2,1,'client-since','',3,1,2019,301,1,NULL,NULL,'2026-11-23T09:00:00Z','2026-11-23T09:00:00Z',0);
INSERT INTO "occasion" VALUES(3,2,'birthday','',2,29,1988,229,1,NULL,NULL,'2026-11-23T09:00:00Z','2026-11-23T09:00:00Z',0);
INSERT INTO "occasion" VALUES(4,2,'custom','Name day',6,21,NULL,621,1,NULL,NULL,'2026-11-23T09:00:00Z','2026-11-23T09:00:00Z',0);
INSERT INTO "occasion" VALUES(6,4,'custom','Shop opening',9,1,2026,901,0,3,'flowers','2026-11-23T09:00:00Z','2026-11-23T09:00:00Z',1);
INSERT INTO "occasion" VALUES(7,4,'anniversary','',11,28,2010,1128,1,NULL,'gift','2026-11-23T09:00:00Z','2026-11-23T09:00:00Z',0);
CREATE TABLE "person" (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
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
            , name_key TEXT NOT NULL DEFAULT '', sequence INTEGER NOT NULL DEFAULT 0);
INSERT INTO "person" VALUES(1,'Ada Lovelace','Analytical Engines','ada@example.com','+44 20 7946 0000','["Client", "vip"]',NULL,NULL,NULL,NULL,NULL,'2026-11-23T09:00:00Z','2026-11-23T09:00:00Z','ada lovelace',1);
INSERT INTO "person" VALUES(2,'Bob Ng',NULL,NULL,NULL,'["family"]','Likes jazz
and tea',30,NULL,NULL,'vcard-uid-bob','2026-11-23T09:00:00Z','2026-11-23T09:00:00Z','bob ng',0);
INSERT INTO "person" VALUES(4,'Åsa Weiß','Straße AG',NULL,NULL,'["client"]',NULL,90,1,'child',NULL,'2026-11-23T09:00:00Z','2026-11-23T09:00:00Z','åsa weiss',0);
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE INDEX occasion_person ON occasion(person_id);
CREATE UNIQUE INDEX occasion_unique ON occasion(person_id, kind, label COLLATE NOCASE);
CREATE INDEX occasion_md ON occasion(md, person_id, id, kind, month, day, year, label, yearly, lead_days, plan, updated, sequence);
CREATE INDEX person_name_key ON person(name_key);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('person',4);
INSERT INTO "sqlite_sequence" VALUES('occasion',7);
COMMIT;
