"""The editor: forms in the browser for the people who keep the portal true, a sibling of `preview.py`.

Its forms are generated from the models of `schema.py` (their French descriptions are the labels), a save is
validated by the build's own checks (`build.checked_sources`) and written in place by the campaign's YAML writer
(`campaign/record.py`). `catalogue.py` lists the sources, `fields.py` turns a model and its data into a form and
a posted form back into data, `save.py` merges, checks and writes, `history.py` is the git view, `server.py` the
local web server and its security.
"""
