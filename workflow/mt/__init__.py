"""Machine translation: engines (Argos/CTranslate2, Apertium, none) behind one interface, their cache and model packages."""
