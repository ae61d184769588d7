"""The web console under `/console`: flows as diagrams, interviews with their traces, records and SOQL, the
outbox, users and apps — server-rendered pages over the same `Org`, auth and REST functions as the API."""
