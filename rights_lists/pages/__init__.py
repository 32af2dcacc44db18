"""The browser pages of the rights_lists app, one module per workflow: lists and their items
(lists.py), decisions with their timeline and the pages of each step (decisions.py), village
matter admission (admission.py), collective asset transactions (transactions.py), the village's
published decisions on its public page (public.py), and what they share (base.py); their routes
are urls.py, one namespace (rights_lists). Forms are rights_lists.forms, filters rights_lists.filters."""
