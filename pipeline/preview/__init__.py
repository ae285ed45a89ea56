"""``serve``: the translators' live preview, its HTTP gate and its status page."""
