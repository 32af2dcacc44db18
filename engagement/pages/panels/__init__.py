"""The engagement dashboard's panels, one module per theme: `panel(user, division, period)`."""
