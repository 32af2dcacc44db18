"""The forms of the rights_lists pages, one module per workflow: decisions.py (四议两公开 and the
steps after it), admission.py (village matter admission), transactions.py (collective asset
transactions), and base.py (what they share). A form cleans what is typed; every rule is the
services' (rights_lists.services), whose refusals the pages show as the form's errors."""
