"""The editorial desk: Decap CMS at /admin/, its configuration generated from the schemas."""
