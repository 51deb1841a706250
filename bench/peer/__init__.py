"""The benchmark's peer: a five-step radio wizard built the usual way, with django-formtools."""
