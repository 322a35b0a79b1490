"""The teaching lab: views that make one idea of the course visible on the user's network."""
