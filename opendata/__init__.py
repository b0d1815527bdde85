"""Open data: the public project register, its downloads (CSV, JSON, IATI 2.03 XML) and the statistics."""
