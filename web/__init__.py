"""The read-only web site and JSON API over the store (`onrecord web`)."""
