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

/// Whether the edge from `a` to `b` crosses the ray from `p` towards +lon (ray casting).
fn crosses(p: Point, a: [f64; 2], b: [f64; 2]) -> bool {
    let ([xi, yi], [xj, yj]) = (a, b);
    (yi > p.lat) != (yj > p.lat) && p.lon < (xj - xi) * (p.lat - yi) / (yj - yi) + xi
}

/// A ring of `[lon, lat]` positions with its edges sorted into latitude bands, so that ray casting
/// looks only at the edges whose latitude span meets the point's band (the county boundaries have
/// 3,000–8,000 positions each and every clue is located on them).
#[derive(Debug, Clone, PartialEq, Default)]
struct Ring {
    /// Southern edge of the first band and the height of a band.
    lat0: f64,
    band: f64,
    /// Edge `i` runs from position `i` to position `i + 1` (the last back to the first); the edges
    /// of band `k` are `edges[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    edges: Vec<u32>,
}

/// About this many edges per band.
const EDGES_PER_BAND: usize = 8;

impl Ring {
    fn new(ring: &[[f64; 2]]) -> Ring {
        let n = ring.len();
        if n < 3 {
            return Ring::default();
        }
        let (lo, hi) = ring.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p[1]), hi.max(p[1])));
        let bands = (n / EDGES_PER_BAND).max(1);
        let band = ((hi - lo) / bands as f64).max(f64::MIN_POSITIVE);
        let band_of = |lat: f64| (((lat - lo) / band) as usize).min(bands - 1);
        let span = |i: usize| {
            let (a, b) = (ring[i][1], ring[(i + 1) % n][1]);
            band_of(a.min(b))..=band_of(a.max(b))
        };
        // Counting pass, then filling (compressed rows).
        let mut starts = vec![0u32; bands + 1];
        for i in 0..n {
            for k in span(i) {
                starts[k + 1] += 1;
            }
        }
        for k in 0..bands {
            starts[k + 1] += starts[k];
        }
        let mut fill: Vec<u32> = starts[..bands].to_vec();
        let mut edges = vec![0u32; starts[bands] as usize];
        for i in 0..n {
            for k in span(i) {
                edges[fill[k] as usize] = i as u32;
                fill[k] += 1;
            }
        }
        Ring { lat0: lo, band, starts, edges }
    }

    /// Ray casting over the edges of the point's band: an edge crosses the ray only if its
    /// latitude span holds the point's latitude, and every such edge is in that band.
    fn contains(&self, p: Point, ring: &[[f64; 2]]) -> bool {
        let bands = self.starts.len().saturating_sub(1);
        if bands == 0 || !p.lat.is_finite() || p.lat < self.lat0 {
            return false;
        }
        let k = ((p.lat - self.lat0) / self.band) as usize;
        if k >= bands {
            return false;
        }
        let n = ring.len();
        let mut inside = false;
        for &i in &self.edges[self.starts[k] as usize..self.starts[k + 1] as usize] {
            let i = i as usize;
            if crosses(p, ring[i], ring[(i + 1) % n]) {
                inside = !inside;
            }
        }
        inside
    }
}

/// Ray casting on one ring of `[lon, lat]` positions, edge by edge (the reference for [`Ring`]).
#[cfg(test)]
fn in_ring(p: Point, ring: &[[f64; 2]]) -> bool {
    let n = ring.len();
    n >= 3 && (0..n).filter(|&i| crosses(p, ring[i], ring[(i + 1) % n])).count() % 2 == 1
}

/// A polygon: outer ring and holes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Polygon {
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Bounding box: min lon, min lat, max lon, max lat.
    pub bbox: [f64; 4],
    /// The band index of each ring.
    index: Vec<Ring>,
}

impl Polygon {
    fn new(rings: Vec<Vec<[f64; 2]>>) -> Polygon {
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for p in rings.first().into_iter().flatten() {
            bbox = [bbox[0].min(p[0]), bbox[1].min(p[1]), bbox[2].max(p[0]), bbox[3].max(p[1])];
        }
        let index = rings.iter().map(|r| Ring::new(r)).collect();
        Polygon { rings, bbox, index }
    }

    pub fn contains(&self, p: Point) -> bool {
        if p.lon < self.bbox[0] || p.lon > self.bbox[2] || p.lat < self.bbox[1] || p.lat > self.bbox[3] {
            return false;
        }
        let mut rings = self.rings.iter().zip(&self.index);
        match rings.next() {
            Some((outer, idx)) if idx.contains(p, outer) => !rings.any(|(hole, idx)| idx.contains(p, hole)),
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
#[allow(clippy::unwrap_used)]
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

    #[test]
    fn the_band_index_agrees_with_edge_by_edge_ray_casting_on_the_county_boundaries() {
        let g: serde_json::Value =
            serde_json::from_str(include_str!("../../../assets/geo/lishui_counties.geojson")).unwrap();
        let polys: Vec<Polygon> =
            g["features"].as_array().unwrap().iter().flat_map(|f| polygons_of(&f["geometry"])).collect();
        assert_eq!(polys.len(), 9);
        // A deterministic spread over the whole city and a little beyond, plus every vertex and
        // the midpoints of the edges (the cases nearest to the bands' borders).
        let mut points = Vec::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..5_000 {
            points.push(Point { lon: 118.6 + 1.8 * next(), lat: 27.6 + 1.6 * next() });
        }
        for p in &polys {
            for r in &p.rings {
                for w in r.windows(2).step_by(25) {
                    points.push(Point { lon: w[0][0], lat: w[0][1] });
                    points.push(Point { lon: (w[0][0] + w[1][0]) / 2.0, lat: (w[0][1] + w[1][1]) / 2.0 + 1e-9 });
                }
            }
        }
        let mut inside = 0;
        for p in &points {
            for poly in &polys {
                let [x0, y0, x1, y1] = poly.bbox;
                if p.lon < x0 || p.lon > x1 || p.lat < y0 || p.lat > y1 {
                    continue;
                }
                for (ring, idx) in poly.rings.iter().zip(&poly.index) {
                    assert_eq!(idx.contains(*p, ring), in_ring(*p, ring), "{p:?}");
                }
                inside += usize::from(poly.contains(*p));
            }
        }
        assert!(inside > 5_000, "{inside} of {} points inside a county", points.len());
    }
}
