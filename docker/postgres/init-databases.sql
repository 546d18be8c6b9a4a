-- Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d).
-- One database per trust domain: domains share a server, never tables or keys.
CREATE DATABASE baton_a;
CREATE DATABASE baton_b;
CREATE DATABASE baton_c;
