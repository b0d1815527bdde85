"""The project workspace at /cooperation/, one module per concept; each module lists its own urlpatterns."""
