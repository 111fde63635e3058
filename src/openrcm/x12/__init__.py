"""openrcm.x12 — the X12 5010 engine (docs.md in this folder; spec format in specs/FORMAT.md).

Entry points (import from the submodules):

* ``parser.parse(source) -> tree.Document`` and ``parser.iter_transactions(source)``
* ``writer.write(document)`` (byte-exact for parsed input)
* ``ack.acknowledge(document, control, date, time)`` -> 999 and TA1
* ``views.remittance.remittance_of(tx)`` / ``iter_remittances(source)`` (typed 835)
* ``views.claim.claim_file_of(tx)`` (typed 837P/837I)
* ``builders.claim.write_claim_files``, ``builders.remittance.write_remittance``
* ``jsonio.document_to_json`` / ``document_from_json``, ``views.codec.to_json`` / ``from_json``
* ``operations``: the use cases shared by ``openrcm x12 ...`` and ``/api/practices/{id}/x12/...``
"""
