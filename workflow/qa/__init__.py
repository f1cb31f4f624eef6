"""Quality assurance: the checks run on reviewed and machine translations, one module per check family."""
