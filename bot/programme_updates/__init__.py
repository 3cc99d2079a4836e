"""Programme updates: read a new version (file, URL, document), show the difference, apply it, tell delegates."""
