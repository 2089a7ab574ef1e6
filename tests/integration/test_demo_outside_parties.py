"""The demo plays the outside parties it has no real one for: the credit bureau and KYC vendor."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from saas.cli.demo import _start_outside_parties
from saas.customers.kyc.vendor import PATH, REJECTED
from saas.outside import JsonClient


def test_the_demo_serves_a_bureau_and_a_kyc_vendor_where_none_is_set(app: Any) -> None:
    kept = app.config["SAAS"]
    app.config["SAAS"] = replace(kept, credit_bureau_url="", kyc_vendor_url="")
    try:
        with _start_outside_parties(app):
            settings = app.config["SAAS"]
            vendor = JsonClient("KYC vendor", settings.kyc_vendor_url, settings.kyc_vendor_token)
            answer = vendor.post(PATH, {"surname": "REJECT", "given_names": "Erika"})
            assert answer["decision"] == REJECTED
            assert settings.credit_bureau_url.startswith("http://127.0.0.1:")
    finally:
        app.config["SAAS"] = kept


def test_the_demo_leaves_a_configured_vendor_alone(app: Any) -> None:
    kept = app.config["SAAS"]
    app.config["SAAS"] = replace(kept, kyc_vendor_url="https://kyc.example/api")
    try:
        with _start_outside_parties(app):
            assert app.config["SAAS"].kyc_vendor_url == "https://kyc.example/api"
    finally:
        app.config["SAAS"] = kept
