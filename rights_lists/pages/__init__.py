"""The browser pages of the rights_lists app: lists and their items (lists.py), decisions with
their timeline and the forms of each step (decisions.py), the village's published decisions on
its public page (public.py), and what they share (base.py)."""
