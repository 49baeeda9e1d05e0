#!/usr/bin/env python3
"""丽水市智慧执法线索中心 线索接入标准 v1.0 —— 推送示例（仅用 Python 3 标准库）。

签名推送一条线索，打印应答，再查询该线索的状态并打印。

  python3 docs/examples/intake_push.py --base-url http://127.0.0.1:8080 \
      --app-key K --secret S [--file clue.json]

--base-url / --app-key / --secret 缺省取环境变量 XIEZHI_BASE_URL / XIEZHI_APP_KEY / XIEZHI_SECRET。
不给 --file 时自动生成一条示例线索（source_clue_id 按当前时间生成，保证不重复）。
平台返回非 2xx 时打印错误体并以退出码 1 结束。
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

API = "/api/intake/v1"
CST = timezone(timedelta(hours=8))


def sign(secret, method, path, timestamp, nonce, body):
    """X-Signature = base64(HMAC-SHA256(secret, 待签名串))。"""
    canonical = "\n".join([method, path, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    mac = hmac.new(secret.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def call(args, method, path, payload=None):
    """发送一次签名请求，返回 (HTTP 状态码, 应答 JSON)；非 2xx 时退出。"""
    url = args.base_url.rstrip("/") + path
    # 签名的请求体必须与发送的字节完全一致：先序列化一次，签名和发送都用这份 bytes。
    body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    # 毫秒时间戳只格式化一次：X-Timestamp 请求头和待签名串用同一个字符串。
    timestamp = str(int(time.time() * 1000))
    nonce = uuid.uuid4().hex  # 每次请求（包括重试）都用新的 nonce
    signed_path = urllib.parse.urlsplit(url).path  # 不含主机和查询串
    headers = {
        "X-App-Key": args.app_key,
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
        "X-Signature": sign(args.secret, method, signed_path, timestamp, nonce, body),
    }
    if payload is not None:
        headers["Content-Type"] = "application/json"  # POST 必须携带；GET 无需
    req = urllib.request.Request(url, data=body if payload is not None else None, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        print(f"{method} {path} -> HTTP {e.code}", file=sys.stderr)
        print(e.read().decode("utf-8", "replace"), file=sys.stderr)
    except urllib.error.URLError as e:
        print(f"{method} {path} 无法连接平台：{e.reason}", file=sys.stderr)
    sys.exit(1)


def sample_clue():
    now = datetime.now(CST).replace(microsecond=0)
    return {
        "source_clue_id": f"DEMO-{int(time.time() * 1000)}",
        "reported_at": now.isoformat(),
        "occurred_at": (now - timedelta(minutes=20)).isoformat(),
        "title": "中山街人行道流动摊贩占道经营",
        "description": "中山街与大众街交叉口东侧人行道有流动摊贩占道经营水果，影响行人通行，请尽快处理。",
        "address": "丽水市莲都区中山街",
        "location": {"longitude": 119.9215, "latitude": 28.4519, "coord_system": "wgs84"},
        "region_code": "331102",
        "category_code": "E0502",
        "case_type_code": "complaint",
        "severity_code": "normal",
        "reporter": {"name": "张三", "phone": "13812345678"},
        "extra": {"demo": True},
    }


def show(title, status, data):
    print(f"== {title}: HTTP {status}")
    print(json.dumps(data, ensure_ascii=False, indent=2))


def main():
    p = argparse.ArgumentParser(description="按线索接入标准 v1.0 签名推送一条线索并查询其状态")
    p.add_argument("--base-url", default=os.environ.get("XIEZHI_BASE_URL"), help="如 http://127.0.0.1:8080")
    p.add_argument("--app-key", default=os.environ.get("XIEZHI_APP_KEY"))
    p.add_argument("--secret", default=os.environ.get("XIEZHI_SECRET"))
    p.add_argument("--file", help="线索 JSON 文件（一条 Clue 对象）；不给则用示例线索")
    args = p.parse_args()
    if not (args.base_url and args.app_key and args.secret):
        p.error("需要 --base-url、--app-key、--secret（或环境变量 XIEZHI_BASE_URL、XIEZHI_APP_KEY、XIEZHI_SECRET）")

    if args.file:
        with open(args.file, encoding="utf-8") as f:
            clue = json.load(f)
    else:
        clue = sample_clue()

    status, result = call(args, "POST", f"{API}/clues", clue)
    show("推送结果（201 新受理，200 重复推送）", status, result)

    clue_id = urllib.parse.quote(clue["source_clue_id"], safe=":")
    status, state = call(args, "GET", f"{API}/clues/{clue_id}")
    show("线索状态", status, state)


if __name__ == "__main__":
    main()
