"""The hosts file as text (the specification) and as byte splices of our marked section."""
