"""The makers of the FORMATS 1.3 vector files (docs/formats.md section 11), one per procedure."""
