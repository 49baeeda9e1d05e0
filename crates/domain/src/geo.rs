//! Coordinates: WGS84 is stored everywhere; GCJ-02 (高德/腾讯) and BD-09 (百度) input is converted
//! at the edge. Distances (haversine) and point-in-polygon tests on GeoJSON geometry.

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// A WGS84 point (longitude, latitude in degrees).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub lon: f64,
    pub lat: f64,
}

/// Coordinate system of incoming coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CoordSystem {
    /// WGS84 / CGCS2000 (GPS, 天地图).
    Wgs84,
    /// GCJ-02 (高德, 腾讯).
    Gcj02,
    /// BD-09 (百度).
    Bd09,
}

impl CoordSystem {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        match s.to_ascii_lowercase().as_str() {
            "wgs84" | "cgcs2000" => Ok(Self::Wgs84),
            "gcj02" => Ok(Self::Gcj02),
            "bd09" => Ok(Self::Bd09),
            _ => Err(FieldError::new("coord_system", "坐标系只能是 wgs84、cgcs2000、gcj02 或 bd09")),
        }
    }
}

impl Point {
    pub fn new(lon: f64, lat: f64) -> Result<Point, FieldError> {
        if lon.is_finite() && lat.is_finite() && (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) {
            Ok(Point { lon, lat })
        } else {
            Err(FieldError::new("location", "经纬度超出范围"))
        }
    }

    /// Convert a point given in `system` to WGS84.
    pub fn to_wgs84(self, system: CoordSystem) -> Point {
        match system {
            CoordSystem::Wgs84 => self,
            CoordSystem::Gcj02 => gcj02_to_wgs84(self),
            CoordSystem::Bd09 => gcj02_to_wgs84(bd09_to_gcj02(self)),
        }
    }

    /// Great-circle distance in metres.
    pub fn distance_m(self, other: Point) -> f64 {
        const R: f64 = 6_371_008.8;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * R * h.sqrt().asin()
    }
}

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

fn out_of_china(p: Point) -> bool {
    !(72.004..=137.8347).contains(&p.lon) || !(0.8293..=55.8271).contains(&p.lat)
}

fn delta(p: Point) -> (f64, f64) {
    use std::f64::consts::PI;
    let (x, y) = (p.lon - 105.0, p.lat - 35.0);
    let mut dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    dlat += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    dlat += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    dlat += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    let mut dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    dlon += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    dlon += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    dlon += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    let rad = p.lat.to_radians();
    let magic = 1.0 - EE * rad.sin() * rad.sin();
    let sq = magic.sqrt();
    let dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sq) * PI);
    let dlon = (dlon * 180.0) / (A / sq * rad.cos() * PI);
    (dlon, dlat)
}

/// WGS84 → GCJ-02 (the published obfuscation formula).
pub fn wgs84_to_gcj02(p: Point) -> Point {
    if out_of_china(p) {
        return p;
    }
    let (dlon, dlat) = delta(p);
    Point { lon: p.lon + dlon, lat: p.lat + dlat }
}

/// GCJ-02 → WGS84 by fixed-point iteration (error well below 1 cm).
pub fn gcj02_to_wgs84(g: Point) -> Point {
    if out_of_china(g) {
        return g;
    }
    let mut w = g;
    for _ in 0..10 {
        let t = wgs84_to_gcj02(w);
        let (ex, ey) = (t.lon - g.lon, t.lat - g.lat);
        w = Point { lon: w.lon - ex, lat: w.lat - ey };
        if ex.abs() < 1e-10 && ey.abs() < 1e-10 {
            break;
        }
    }
    w
}

/// BD-09 → GCJ-02.
pub fn bd09_to_gcj02(b: Point) -> Point {
    let k = std::f64::consts::PI * 3000.0 / 180.0;
    let (x, y) = (b.lon - 0.0065, b.lat - 0.006);
    let z = (x * x + y * y).sqrt() - 0.000_02 * (y * k).sin();
    let theta = y.atan2(x) - 0.000_003 * (x * k).cos();
    Point { lon: z * theta.cos(), lat: z * theta.sin() }
}

/// GCJ-02 → BD-09 (for tests and for sources that want BD-09 back).
pub fn gcj02_to_bd09(g: Point) -> Point {
    let k = std::f64::consts::PI * 3000.0 / 180.0;
    let z = (g.lon * g.lon + g.lat * g.lat).sqrt() + 0.000_02 * (g.lat * k).sin();
    let theta = g.lat.atan2(g.lon) + 0.000_003 * (g.lon * k).cos();
    Point { lon: z * theta.cos() + 0.0065, lat: z * theta.sin() + 0.006 }
}

/// Ray casting on one ring of `[lon, lat]` positions.
fn in_ring(p: Point, ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (xi, yi) = (ring[i][0], ring[i][1]);
        let (xj, yj) = (ring[j][0], ring[j][1]);
        if (yi > p.lat) != (yj > p.lat) && p.lon < (xj - xi) * (p.lat - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// A polygon: outer ring and holes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Polygon {
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Bounding box: min lon, min lat, max lon, max lat.
    pub bbox: [f64; 4],
}

impl Polygon {
    fn new(rings: Vec<Vec<[f64; 2]>>) -> Polygon {
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for p in rings.first().into_iter().flatten() {
            bbox = [bbox[0].min(p[0]), bbox[1].min(p[1]), bbox[2].max(p[0]), bbox[3].max(p[1])];
        }
        Polygon { rings, bbox }
    }

    pub fn contains(&self, p: Point) -> bool {
        if p.lon < self.bbox[0] || p.lon > self.bbox[2] || p.lat < self.bbox[1] || p.lat > self.bbox[3] {
            return false;
        }
        let mut rings = self.rings.iter();
        match rings.next() {
            Some(outer) if in_ring(p, outer) => !rings.any(|hole| in_ring(p, hole)),
            _ => false,
        }
    }
}

/// Parse a GeoJSON Polygon or MultiPolygon geometry into polygons.
pub fn polygons_of(geometry: &serde_json::Value) -> Vec<Polygon> {
    let ring = |r: &serde_json::Value| -> Vec<[f64; 2]> {
        r.as_array()
            .map(|pts| pts.iter().filter_map(|p| Some([p.get(0)?.as_f64()?, p.get(1)?.as_f64()?])).collect())
            .unwrap_or_default()
    };
    let polygon =
        |c: &serde_json::Value| Polygon::new(c.as_array().map(|rs| rs.iter().map(ring).collect()).unwrap_or_default());
    match geometry.get("type").and_then(|t| t.as_str()) {
        Some("Polygon") => geometry.get("coordinates").map(polygon).into_iter().collect(),
        Some("MultiPolygon") => geometry
            .get("coordinates")
            .and_then(|c| c.as_array())
            .map(|ps| ps.iter().map(polygon).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcj02_round_trip_and_known_offset() {
        // 丽水市 莲都区 紫金广场 (approx.): the GCJ-02 offset near Lishui is a few hundred metres.
        let w = Point { lon: 119.9221, lat: 28.4670 };
        let g = wgs84_to_gcj02(w);
        let d = w.distance_m(g);
        assert!((200.0..800.0).contains(&d), "offset {d} m");
        let back = gcj02_to_wgs84(g);
        assert!(w.distance_m(back) < 0.01, "round trip error {} m", w.distance_m(back));
        assert_eq!(Point { lon: 2.35, lat: 48.85 }.to_wgs84(CoordSystem::Gcj02), Point { lon: 2.35, lat: 48.85 });
    }

    #[test]
    fn bd09_round_trip() {
        let g = Point { lon: 119.9271, lat: 28.4640 };
        let b = gcj02_to_bd09(g);
        assert!(g.distance_m(b) > 100.0);
        let back = bd09_to_gcj02(b);
        assert!(g.distance_m(back) < 1.0, "{}", g.distance_m(back));
        let w = b.to_wgs84(CoordSystem::Bd09);
        assert!(w.distance_m(gcj02_to_wgs84(g)) < 1.0);
    }

    #[test]
    fn distances() {
        let a = Point { lon: 119.92, lat: 28.46 };
        let b = Point { lon: 119.92, lat: 28.47 };
        assert!((a.distance_m(b) - 1112.0).abs() < 2.0);
        assert!(Point::new(200.0, 0.0).is_err() && Point::new(f64::NAN, 0.0).is_err());
        assert_eq!(CoordSystem::parse("GCJ02"), Ok(CoordSystem::Gcj02));
    }

    #[test]
    fn point_in_polygon_with_hole_and_multipolygon() {
        let geom = serde_json::json!({"type": "MultiPolygon", "coordinates": [
            [[[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]], [[4.0, 4.0], [6.0, 4.0], [6.0, 6.0], [4.0, 6.0], [4.0, 4.0]]],
            [[[20.0, 20.0], [30.0, 20.0], [30.0, 30.0], [20.0, 20.0]]]
        ]});
        let ps = polygons_of(&geom);
        let inside = |lon, lat| ps.iter().any(|p| p.contains(Point { lon, lat }));
        assert!(inside(1.0, 1.0));
        assert!(!inside(5.0, 5.0), "hole");
        assert!(inside(28.0, 25.0));
        assert!(!inside(21.0, 29.0));
        assert!(!inside(15.0, 15.0));
        assert!(polygons_of(&serde_json::json!({"type": "Point", "coordinates": [1, 2]})).is_empty());
    }
}
