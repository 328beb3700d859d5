# convserve from Python: the standard library plus NumPy, tensors as base64 float32.
import base64, json, os, urllib.error, urllib.request
import numpy as np

URL = os.environ.get("CONVSERVE_URL", "http://localhost:3000")
API_KEY = os.environ.get("CONVSERVE_API_KEY")  # only if the server sets API_KEYS

def to_wire(arr):
    # little-endian float32 bytes, row-major: the server's base64 tensor form
    arr = np.ascontiguousarray(arr, dtype="<f4")
    return {"shape": list(arr.shape), "dtype": "float32",
            "base64": base64.b64encode(arr.tobytes()).decode("ascii")}

def from_wire(t):
    dtype = "<i4" if t.get("dtype") == "int32" else "<f4"  # int32: max-pool indices
    return np.frombuffer(base64.b64decode(t["base64"]), dtype).reshape(t["shape"])

def call(route, body):
    headers = {"Content-Type": "application/json"}
    if API_KEY:
        headers["Authorization"] = "Bearer " + API_KEY
    request = urllib.request.Request(URL + route, json.dumps(body).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return json.load(reply)
    except urllib.error.HTTPError as err:  # {statusCode, error, code, message}
        e = json.load(err)
        raise RuntimeError(f"{e['statusCode']} {e['code']}: {e['message']}") from None

X = np.arange(9, dtype=np.float32).reshape(3, 3)  # the textbook's input
K = np.arange(4, dtype=np.float32).reshape(2, 2)  # and kernel
reply = call("/conv2d", {"input": to_wire(X), "weight": to_wire(K), "outputFormat": "base64"})
print(from_wire(reply["output"]))
