-- The onrecord store lives next to Prefect's database; onrecord creates its tables itself.
CREATE DATABASE onrecord OWNER onrecord;
