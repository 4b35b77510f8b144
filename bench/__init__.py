"""The benchmark (``make bench``) and the resilience run (``make resilience``): see README.md
in this folder. Not part of the application: nothing here is imported by the app."""
