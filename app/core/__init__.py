"""No domain knowledge: the vocabulary (enums that carry their label) shared by every layer."""
