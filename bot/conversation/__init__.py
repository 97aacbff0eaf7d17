"""The one conversation: a press or a typed line becomes a service call and screens, for every
front end alike."""
