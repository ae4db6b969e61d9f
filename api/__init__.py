"""The prereview service: the upload-a-report API, review rounds, checklists and the reviewer web page."""
