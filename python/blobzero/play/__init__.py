"""Using a trained player: positions typed as a person sees them (``position``) and a network's
advice on them (``advice``)."""
