-- A servant database at schema v15: the first 15 of servant's migration steps
-- (m001_people_and_occasions to m015_gesture_for_date) applied to a blank database: the
-- v14 fixture (one person imported from a Google CSV with a sibling kept as text and the
-- structured name the import brought, three added by hand, one the spouse and one the
-- child of the first, two gestures, one of them counted for a date, and a given gift
-- idea, person #3 removed, one published event, a custom date that is a yearly rule,
-- tags "VIP", "İstanbul", "clients" and "Clients", a season for the tag "Clients")
-- upgraded, then a folder of two vCards imported (/tmp/v15/card: Aiko Tanaka, whose
-- phone servant kept over the card's in a conflict, and Lucía Pérez, given an email), so
-- import_field holds what three kinds of source brought and a kept field; dumped with
-- Python's sqlite3 iterdump().
-- Do not edit: tests/test_schema_versions.py checks that it has the schema those steps
-- build, and that upgrading it to the current schema keeps every row and id.
BEGIN TRANSACTION;
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
INSERT INTO "_sqlite_migrations" VALUES(1,'servant','m001_people_and_occasions','2026-12-02 09:00:01.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(2,'servant','m002_ids_never_reused','2026-12-02 09:00:02.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(3,'servant','m003_covering_index_and_name_key','2026-12-02 09:00:03.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(4,'servant','m004_person_sequence','2026-12-02 09:00:04.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(5,'servant','m005_position_connected_on_source_uid_index','2026-12-02 09:00:05.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(6,'servant','m006_gestures_and_ideas','2026-12-02 09:00:06.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(7,'servant','m007_nickname','2026-12-02 09:00:07.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(8,'servant','m008_import_fields','2026-12-02 09:00:08.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(9,'servant','m009_published','2026-12-02 09:00:09.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(10,'servant','m010_family','2026-12-02 09:00:10.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(11,'servant','m011_name_parts','2026-12-02 09:00:11.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(12,'servant','m012_rules','2026-12-02 09:00:12.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(13,'servant','m013_seasons','2026-12-02 09:00:13.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(14,'servant','m014_tag_index','2026-12-02 09:00:14.000000+00:00');
INSERT INTO "_sqlite_migrations" VALUES(15,'servant','m015_gesture_for_date','2026-12-02 09:00:15.000000+00:00');
CREATE TABLE family (
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            relation TEXT NOT NULL CHECK (relation IN ('child', 'spouse')),
            other_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            PRIMARY KEY (person_id, relation, other_id),
            CHECK (person_id <> other_id)
        ) WITHOUT ROWID
        ;
INSERT INTO "family" VALUES(4,'child',1);
INSERT INTO "family" VALUES(1,'spouse',2);
CREATE TABLE gesture (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            on_date TEXT NOT NULL,
            kind TEXT NOT NULL,
            what TEXT,
            cost TEXT,
            occasion_id INTEGER REFERENCES occasion(id) ON DELETE SET NULL,
            for_date TEXT,
            created TEXT NOT NULL
        );
INSERT INTO "gesture" VALUES(1,1,'2026-03-10','gift','tea set','$45',NULL,NULL,'2026-12-02T09:00:00Z');
INSERT INTO "gesture" VALUES(2,4,'2026-02-27','card',NULL,NULL,3,'2026-02-28','2026-12-02T09:00:00Z');
CREATE TABLE idea (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            created TEXT NOT NULL,
            used TEXT,
            gesture_id INTEGER REFERENCES gesture(id) ON DELETE SET NULL
        );
INSERT INTO "idea" VALUES(1,1,'tea set','2026-12-02T09:00:00Z','2026-03-10',1);
CREATE TABLE import_field (
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            kept INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (person_id, source, field)
        ) WITHOUT ROWID
        ;
INSERT INTO "import_field" VALUES(1,'google','birthday','1990-05-01',0);
INSERT INTO "import_field" VALUES(1,'google','email','aiko@tanaka.example',0);
INSERT INTO "import_field" VALUES(1,'google','family','[["sibling", "Kenji Tanaka"]]',0);
INSERT INTO "import_field" VALUES(1,'google','name','Aiko Tanaka',0);
INSERT INTO "import_field" VALUES(1,'google','nickname','Ai',0);
INSERT INTO "import_field" VALUES(1,'google','phone','503.555.0101',0);
INSERT INTO "import_field" VALUES(1,'google','tags','["Clients"]',0);
INSERT INTO "import_field" VALUES(1,'vcard','birthday','1990-05-01',0);
INSERT INTO "import_field" VALUES(1,'vcard','email','aiko@tanaka.example',0);
INSERT INTO "import_field" VALUES(1,'vcard','name','Aiko Tanaka',0);
INSERT INTO "import_field" VALUES(1,'vcard','phone','503.555.0202',1);
INSERT INTO "import_field" VALUES(1,'vdir:/tmp/v15/card','member','{"file": "aiko.vcf", "uid": "aiko-1", "tags": []}',0);
INSERT INTO "import_field" VALUES(4,'vcard','email','lucia@perez.example',0);
INSERT INTO "import_field" VALUES(4,'vcard','name','Lucía Pérez',0);
INSERT INTO "import_field" VALUES(4,'vdir:/tmp/v15/card','member','{"file": "lucia.vcf", "uid": "lucia-4", "tags": []}',0);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO "meta" VALUES('schema_version','15');
INSERT INTO "meta" VALUES('db_id','5e7a000000000010');
INSERT INTO "meta" VALUES('gestures_decided_from','1');
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
        , rule TEXT);
INSERT INTO "occasion" VALUES(1,1,'birthday','',5,1,1990,501,1,NULL,NULL,'2026-12-02T09:00:00Z','2026-12-02T09:00:00Z',0,NULL);
INSERT INTO "occasion" VALUES(2,2,'anniversary','',6,1,2010,601,1,NULL,NULL,'2026-12-02T09:00:00Z','2026-12-02T09:00:00Z',0,NULL);
INSERT INTO "occasion" VALUES(3,4,'birthday','',2,29,NULL,229,1,NULL,NULL,'2026-12-02T09:00:00Z','2026-12-02T09:00:00Z',0,NULL);
INSERT INTO "occasion" VALUES(4,4,'custom','Shop opening',6,1,2015,601,1,NULL,NULL,'2026-12-02T09:00:00Z','2026-12-02T09:00:00Z',0,NULL);
INSERT INTO "occasion" VALUES(5,2,'custom','Mother''s Day',5,8,NULL,508,1,NULL,NULL,'2026-12-02T09:00:12Z','2026-12-02T09:00:12Z',0,'2SU/5');
CREATE TABLE "person" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    company TEXT,
    email TEXT,
    phone TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    notes TEXT,
    every_days INTEGER,
    source_uid TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    name_key TEXT NOT NULL DEFAULT '',
    sequence INTEGER NOT NULL DEFAULT 0,
    position TEXT,
    connected_on TEXT,
    nickname TEXT
, name_parts TEXT);
INSERT INTO "person" VALUES(1,'Aiko Tanaka',NULL,'aiko@tanaka.example','503-555-9999','["Clients"]',NULL,NULL,'aiko-1','2026-12-02T09:00:00Z','2026-12-02T09:00:00Z','aiko tanaka',4,NULL,NULL,'Ai','["Tanaka", "Aiko", "", "", "", "Aiko Tanaka"]');
INSERT INTO "person" VALUES(2,'Ben Ode',NULL,NULL,NULL,'["VIP", "\u0130stanbul"]',NULL,NULL,NULL,'2026-12-02T09:00:00Z','2026-12-02T09:00:13Z','ben ode',2,NULL,NULL,NULL,NULL);
INSERT INTO "person" VALUES(4,'Lucía Pérez',NULL,'lucia@perez.example',NULL,'["clients"]',NULL,30,'lucia-4','2026-12-02T09:00:00Z','2026-12-02T09:00:15Z','lucía pérez',3,NULL,NULL,NULL,'["Pérez", "Lucía", "", "", "", "Lucía Pérez"]');
CREATE TABLE person_tag (
            tag_key TEXT NOT NULL,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE ON UPDATE CASCADE,
            PRIMARY KEY (tag_key, person_id)
        ) WITHOUT ROWID
        ;
INSERT INTO "person_tag" VALUES('clients',1);
INSERT INTO "person_tag" VALUES('istanbul',2);
INSERT INTO "person_tag" VALUES('vip',2);
INSERT INTO "person_tag" VALUES('clients',4);
CREATE TABLE published (
            calendar TEXT NOT NULL,
            uid TEXT NOT NULL,
            href TEXT NOT NULL,
            etag TEXT,
            hash TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            published TEXT NOT NULL,
            PRIMARY KEY (calendar, uid)
        );
INSERT INTO "published" VALUES('https://dav.example/cal/','occasion-1@5e7a000000000010.servant','/cal/occasion-1@5e7a000000000010.servant.ics','"e1"','abc123','Aiko Tanaka — Birthday','2026-12-02T09:00:00Z');
CREATE TABLE relation_text (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            label TEXT NOT NULL,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL
        );
INSERT INTO "relation_text" VALUES(1,1,'sibling','sibling','Kenji Tanaka','kenji tanaka');
CREATE TABLE season (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
            day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
            rule TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            plan TEXT,
            lead_days INTEGER,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            sequence INTEGER NOT NULL DEFAULT 0,
            shown TEXT
        );
INSERT INTO "season" VALUES(1,'Holiday cards','holiday cards',12,1,NULL,'["Clients"]','card',NULL,'2026-12-02T09:00:13Z','2026-12-02T09:00:13Z',0,NULL);
CREATE TABLE season_done (
            gesture_id INTEGER PRIMARY KEY REFERENCES gesture(id) ON DELETE CASCADE,
            season_id INTEGER NOT NULL REFERENCES season(id) ON DELETE CASCADE,
            for_date TEXT NOT NULL
        );
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE INDEX occasion_person ON occasion(person_id);
CREATE UNIQUE INDEX occasion_unique ON occasion(person_id, kind, label COLLATE NOCASE);
CREATE INDEX gesture_person ON gesture(person_id, on_date);
CREATE INDEX idea_person ON idea(person_id);
CREATE INDEX family_other ON family(other_id, relation);
CREATE UNIQUE INDEX relation_text_unique ON relation_text(person_id, kind, name_key);
CREATE INDEX person_name_key ON person(name_key);
CREATE INDEX person_source_uid ON person(source_uid);
CREATE INDEX occasion_md ON occasion(md, person_id, id, kind, month, day, year, label, yearly, lead_days, plan, updated, sequence, rule);
CREATE INDEX occasion_rule ON occasion(rule) WHERE rule IS NOT NULL;
CREATE UNIQUE INDEX season_name_key ON season(name_key);
CREATE INDEX season_done_season ON season_done(season_id, for_date);
CREATE INDEX person_tag_person ON person_tag(person_id);
CREATE INDEX occasion_lead_days ON occasion(lead_days) WHERE lead_days IS NOT NULL;
CREATE INDEX person_every_days ON person(every_days) WHERE every_days IS NOT NULL;
CREATE INDEX gesture_for_date ON gesture(for_date) WHERE for_date IS NOT NULL;
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('occasion',5);
INSERT INTO "sqlite_sequence" VALUES('person',4);
INSERT INTO "sqlite_sequence" VALUES('idea',1);
INSERT INTO "sqlite_sequence" VALUES('gesture',2);
INSERT INTO "sqlite_sequence" VALUES('season',1);
COMMIT;
