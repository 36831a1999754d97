import csv
import io
import json
from datetime import datetime

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from crawlers.importers import import_offers
from store.archive import RawArchive
from store.errors import BadInputError
from store.schema import job_runs, offers

COLUMNS = ["platform", "offer_id", "url", "title", "category", "price_min", "price_max", "moq", "unit",
           "supplier_name", "supplier_type", "province", "city", "dropship", "customizable",
           "repurchase_rate", "listed_at"]
ROWS = [
    ["1688", "624518962789", "https://detail.1688.com/offer/624518962789.html",
     "车载冰箱杯架 来图定制 可印logo", "汽车用品>车载电器>车载冰箱配件", "8.50", "12.00", "50", "个",
     "义乌市卓越汽车用品厂", "factory", "浙江", "金华", "是", "1", "32%", "2026-04-20 10:00:00"],
    ["1688", "735561200014", "", "免打孔车载杯托 汽车出风口水杯架", "汽车用品>内饰用品>杯架", "3.2", "",
     "2", "件", "广州速达贸易有限公司", "trading", "广东", "广州", "否", "0", "0.18", "2026-03-02T08:00:00"],
]


def write_offer_csv(path, rows, encoding, columns=COLUMNS):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def stored(engine):
    with engine.connect() as conn:
        return {r.offer_id: r for r in conn.execute(sa.select(offers))}


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_imports_in_each_encoding(engine, settings, tmp_path, encoding):
    path = write_offer_csv(tmp_path / "offers.csv", ROWS, encoding)
    report = import_offers(engine, [path], settings=settings)
    assert (report.files, report.rows_read, report.inserted) == (1, 2, 2)
    got = stored(engine)
    holder = got["624518962789"]
    assert holder.title == "车载冰箱杯架 来图定制 可印logo" and holder.supplier_name == "义乌市卓越汽车用品厂"
    assert (holder.price_min, holder.price_max, holder.moq) == (8.5, 12.0, 50)
    assert holder.dropship and holder.customizable and holder.supplier_type == "factory"
    assert holder.repurchase_rate == pytest.approx(0.32)
    assert holder.listed_at == datetime(2026, 4, 20, 10)
    cheap = got["735561200014"]
    assert (cheap.price_max, cheap.dropship, cheap.repurchase_rate) == (3.2, False, pytest.approx(0.18))


def test_reimport_changes_nothing(engine, settings, tmp_path):
    path = write_offer_csv(tmp_path / "offers.csv", ROWS, "gbk")
    import_offers(engine, [path], settings=settings)
    before = {k: tuple(v) for k, v in stored(engine).items()}
    again = import_offers(engine, [path], settings=settings)
    assert (again.inserted, again.updated) == (0, 2)
    assert {k: tuple(v) for k, v in stored(engine).items()} == before


def test_bad_price_names_line_and_field_and_writes_nothing(engine, settings, tmp_path):
    good = write_offer_csv(tmp_path / "a.csv", ROWS, "utf-8-sig")
    bad_row = list(ROWS[1])
    bad_row[1], bad_row[5] = "735561200099", "面议"
    bad = write_offer_csv(tmp_path / "b.csv", [ROWS[0], bad_row], "gbk")
    with pytest.raises(BadInputError) as err:
        import_offers(engine, [good, bad], settings=settings)
    assert (err.value.path, err.value.line, err.value.field) == (str(bad), 3, "price_min")
    assert stored(engine) == {}
    assert list(RawArchive(settings.raw_dir).read("import-offers")) == []


def test_extra_column_is_named(engine, settings, tmp_path):
    path = write_offer_csv(tmp_path / "a.csv", [r + ["13800000000"] for r in ROWS], "utf-8",
                           columns=COLUMNS + ["联系电话"])
    with pytest.raises(BadInputError) as err:
        import_offers(engine, [path], settings=settings)
    assert (err.value.line, err.value.field) == (1, "联系电话")


def test_xlsx_imports(engine, settings, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["offer_id", "title", "price_min", "price_max", "moq", "dropship", "listed_at"])
    # Excel keeps ids and counts as numbers and dates as dates.
    sheet.append([624518962789, "婴儿防胀气奶瓶 OEM贴牌", 15.8, 19.9, 100, True, datetime(2026, 4, 1, 9)])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["735561200014", "宠物猫砂盆 防外溅 全封闭", "29", None, None, False, "2026-04-02"])
    path = tmp_path / "offers.xlsx"
    book.save(path)
    report = import_offers(engine, [path], settings=settings)
    assert (report.rows_read, report.inserted) == (2, 2)
    got = stored(engine)
    bottle = got["624518962789"]
    assert (bottle.price_min, bottle.moq, bottle.dropship, bottle.platform) == (15.8, 100, True, "1688")
    assert bottle.listed_at == datetime(2026, 4, 1, 9)
    assert got["735561200014"].price_max == 29.0


def test_xlsx_bad_row_names_sheet_row(engine, settings, tmp_path):
    book = Workbook()
    book.active.append(["offer_id", "title", "price_min", "listed_at"])
    book.active.append(["1", "折叠收纳箱", "12", "2026-04-02"])
    book.active.append(["2", "折叠收纳箱 大号", "12", ""])
    path = tmp_path / "offers.xlsx"
    book.save(path)
    with pytest.raises(BadInputError) as err:
        import_offers(engine, [path], settings=settings)
    assert (err.value.line, err.value.field) == (3, "listed_at")


def test_jsonl_offers_and_unknown_key(engine, settings, tmp_path):
    record = {"offer_id": "900100200300", "title": "静音车载冰箱 12V", "price_min": 268, "price_max": 299,
              "listed_at": "2026-04-05T00:00:00", "ship_48h_rate": 0.93}
    path = tmp_path / "offers.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert import_offers(engine, [path], settings=settings).inserted == 1
    path.write_text(json.dumps({**record, "shop_score": 4.8}) + "\n", encoding="utf-8")
    with pytest.raises(BadInputError) as err:
        import_offers(engine, [path], settings=settings)
    assert (err.value.line, err.value.field) == (1, "shop_score")


def test_1688_search_items(engine, settings, tmp_path):
    items = [
        {"offerId": 624518962789, "subject": "车载冰箱专用杯架 来样定制 工厂直销", "imageUrl": "https://cbu01.alicdn.com/a.jpg",
         "priceInfo": {"price": "9.80", "consignPrice": "12.00"}, "repurchaseRate": "10%", "monthSold": 1520,
         "isOnePsale": True, "sellerIdentities": ["super_factory", "tp_member"], "tradeScore": "4.8",
         "minOrderQuantity": 2, "createDate": "2026-03-15 09:30:00",
         "sellerDataInfo": {"repeatPurchasePercent": "0.4666", "consultingExperienceScore": "4.5"},
         "productSimpleShippingInfo": {"shippingTimeGuarantee": "shipIn48Hours",
                                       "pickupWithin24hRate30d": "1"}},
        {"offerId": "735561200014", "subject": "出风口水杯架 通用", "priceInfo": {"price": "3.5"},
         "isOnePsale": False, "sellerIdentities": ["tp_member"], "createDate": "2026-03-16 09:30:00"},
    ]
    path = tmp_path / "search.json"
    path.write_text(json.dumps({"result": {"success": True, "data": items}}, ensure_ascii=False),
                    encoding="utf-8")
    report = import_offers(engine, [path], settings=settings)
    assert report.inserted == 2
    got = stored(engine)
    holder = got["624518962789"]
    assert (holder.supplier_type, holder.customizable, holder.dropship) == ("factory", True, True)
    assert (holder.price_min, holder.moq, holder.sales_30d, holder.rating) == (9.8, 2, 1520, 4.8)
    assert holder.repurchase_rate == pytest.approx(0.4666) and holder.response_rate == pytest.approx(0.9)
    assert holder.ship_48h_rate == 1.0 and holder.url == "https://detail.1688.com/offer/624518962789.html"
    assert holder.listed_at == datetime(2026, 3, 15, 1, 30)  # China time to UTC
    plain = got["735561200014"]
    assert (plain.supplier_type, plain.customizable, plain.repurchase_rate) == ("unknown", False, None)


def test_1688_item_without_price_names_its_key(engine, settings, tmp_path):
    path = tmp_path / "search.jsonl"
    path.write_text(json.dumps({"offerId": 1, "subject": "雨伞", "createDate": "2026-03-16"}) + "\n",
                    encoding="utf-8")
    with pytest.raises(BadInputError) as err:
        import_offers(engine, [path], settings=settings)
    assert (err.value.line, err.value.field) == (1, "priceInfo.price")


def detail(offer_id, **kw):
    """A product.search.queryProductDetail result, as the 1688 API returns it."""
    item = {
        "offerId": offer_id, "categoryId": 1038378, "categoryName": "车载杯架",
        "subject": "汽车出风口水杯架 多功能车载饮料架", "description": "<p>加厚ABS，承重2kg</p>",
        "productAttribute": [
            {"attributeId": "2176", "attributeName": "品牌", "value": "途雅"},
            {"attributeId": "1398", "attributeName": "加工定制", "value": "是"},
        ],
        "minOrderQuantity": None,
        "productSaleInfo": {"priceRangeList": [{"startQuantity": 10, "price": "6.80"},
                                               {"startQuantity": 500, "price": "5.50"}],
                            "unitInfo": {"unit": "个"},
                            "fenxiaoSaleInfo": {"onePieceFreePostage": False, "onePiecePrice": "9.90"}},
        "productShippingInfo": {"sendGoodsAddressText": "浙江省 台州市"},
        "sellerDataInfo": {"repeatPurchasePercent": "0.35", "collect30DayWithin48HPercent": "98%"},
        "soldOut": 0, "companyName": "台州市黄岩途雅塑料制品厂", "offerIdentities": ["powerful_merchants"],
        "createDate": "2026-02-11 10:20:00",
    }
    item.update(kw)
    return item


def test_1688_detail_jsonl(engine, settings, tmp_path):
    plain = detail("735561200099", subject="普通款杯架 不支持定制", productAttribute=[
        {"attributeName": "是否支持定制", "value": "否"}, {"attributeName": "材质", "value": "ABS"}],
        offerIdentities=["tp_member"], productSaleInfo={"priceRangeList": [{"startQuantity": 2, "price": 4}]})
    path = tmp_path / "details.jsonl"
    lines = [json.dumps(d, ensure_ascii=False) for d in (detail("735561200014"), plain)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_offers(engine, [path], settings=settings)
    assert report.inserted == 2
    got = stored(engine)
    holder = got["735561200014"]
    assert (holder.price_min, holder.price_max, holder.moq, holder.unit) == (5.5, 6.8, 10, "个")
    assert (holder.category, holder.province, holder.city) == ("车载杯架", "浙江省", "台州市")
    assert (holder.customizable, holder.dropship, holder.supplier_type) == (True, True, "factory")
    assert holder.repurchase_rate == pytest.approx(0.35) and holder.ship_48h_rate == pytest.approx(0.98)
    assert holder.supplier_name == "台州市黄岩途雅塑料制品厂"
    assert holder.listed_at == datetime(2026, 2, 11, 2, 20)
    # "不支持定制" in the title and 是否支持定制 = 否 both say no
    assert (got["735561200099"].customizable, got["735561200099"].moq) == (False, 2)


def test_1688_detail_json_response_and_category_names(engine, settings, tmp_path):
    response = {"result": {"success": True, "code": "200", "result": detail("735561200014")}}
    (tmp_path / "detail.json").write_text(json.dumps(response, ensure_ascii=False), encoding="utf-8")
    search = [{"offerId": 624518962789, "subject": "车载杯架 OEM", "priceInfo": {"price": "9.80"},
               "topCategoryId": 1501, "secondCategoryId": 1037014, "thirdCategoryId": 1038378,
               "createDate": "2026-03-15 09:30:00"},
              {"offerId": 624518962790, "subject": "车载纸巾盒", "priceInfo": {"price": "5"},
               "topCategoryId": 1501, "thirdCategoryId": 1039999, "createDate": "2026-03-15 09:30:00"}]
    (tmp_path / "search.json").write_text(json.dumps({"result": {"data": search}}), encoding="utf-8")
    report = import_offers(engine, [tmp_path], settings=settings)
    assert (report.files, report.inserted) == (2, 3)
    got = stored(engine)
    assert got["735561200014"].category == "车载杯架"
    assert got["624518962789"].category == "车载杯架"  # named through the detail's categoryId
    assert got["624518962789"].customizable  # OEM in the title
    assert got["624518962790"].category == ""  # no detail names 1039999


@pytest.mark.parametrize("rate, share", [("10%", 0.1), ("0.4666", 0.4666), ("1", 1.0), (0.25, 0.25)])
def test_1688_rates_become_shares(engine, settings, tmp_path, rate, share):
    item = {"offerId": "1", "subject": "雨伞", "priceInfo": {"price": "12"}, "repurchaseRate": rate,
            "createDate": "2026-03-16"}
    path = tmp_path / "search.jsonl"
    path.write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
    import_offers(engine, [path], settings=settings)
    assert stored(engine)["1"].repurchase_rate == pytest.approx(share)


def test_offer_imports_are_job_runs(engine, settings, tmp_path):
    good = write_offer_csv(tmp_path / "a.csv", ROWS, "gbk")
    import_offers(engine, [good], settings=settings)
    bad = write_offer_csv(tmp_path / "b.csv", [[*ROWS[0][:5], "面议", *ROWS[0][6:]]], "gbk")
    with pytest.raises(BadInputError):
        import_offers(engine, [bad], settings=settings)
    with engine.connect() as conn:
        runs = conn.execute(sa.select(job_runs).order_by(job_runs.c.id)).mappings().all()
    assert [(r["job"], r["status"]) for r in runs] == [("import:offers", "ok"), ("import:offers", "failed")]
    assert {k: runs[0]["stats"][k] for k in ("files", "rows", "inserted", "updated")} == {
        "files": 1, "rows": 2, "inserted": 2, "updated": 0}
    assert runs[1]["message"].startswith(f"{bad}:2: field 'price_min'")
