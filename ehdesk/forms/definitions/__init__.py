"""One module per form. Each exposes a ``FORM`` constant; ``ehdesk.forms.registry`` collects them."""
