//! Pictures for slides: the canvas as a standalone SVG, and as a PNG drawn from that SVG.
//!
//! The canvas is styled by `style/main.css` through custom properties (the theme). A standalone
//! file has no stylesheet, so the export copies the canvas, lets the browser compute each
//! element's style with the current theme, and writes the concrete values (colours, strokes,
//! fonts) into the copy. The copy shows the whole network (not the current zoom), without the
//! selection, on the page's background colour.

use leptos::prelude::WithUntracked;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, Node};

use crate::store::Store;

/// The style properties the canvas uses, written into each element of the copy.
const PROPERTIES: &[&str] = &[
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
];
/// A PNG is drawn at twice the canvas units, but never wider or taller than this (pixels).
const PNG_MAX: f64 = 6000.0;
const PNG_SCALE: f64 = 2.0;

const NO_CANVAS: &str = "There is no canvas to export.";

fn document() -> Result<web_sys::Document, String> {
    web_sys::window().and_then(|w| w.document()).ok_or_else(|| NO_CANVAS.to_owned())
}

/// Remove comments (Leptos's markers) from a copied tree.
fn strip_comments(node: &Node) {
    let children = node.child_nodes();
    let mut i = 0;
    while let Some(child) = children.item(i) {
        if child.node_type() == Node::COMMENT_NODE {
            let _ = node.remove_child(&child);
        } else {
            strip_comments(&child);
            i += 1;
        }
    }
}

/// The canvas as standalone SVG text, `scale` pixels per canvas unit; with its size in pixels.
pub fn svg(store: &Store, scale: f64) -> Result<(String, f64, f64), String> {
    let document = document()?;
    let window = web_sys::window().ok_or(NO_CANVAS)?;
    let canvas = document.query_selector("svg[data-testid=canvas]").ok().flatten().ok_or(NO_CANVAS)?;
    let app = document.query_selector(".app").ok().flatten().ok_or(NO_CANVAS)?;
    let copy: Element = canvas.clone_node_with_deep(true).map_err(|_| NO_CANVAS)?.unchecked_into();
    strip_comments(&copy);
    if let Ok(selected) = copy.query_selector_all(".selected") {
        for i in 0..selected.length() {
            if let Some(el) = selected.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let _ = el.class_list().remove_1("selected");
            }
        }
    }

    // Compute styles where the theme applies: inside the app, out of sight.
    let holder = document.create_element("div").map_err(|_| NO_CANVAS)?;
    set_style(
        &holder,
        "position:fixed;left:-20000px;top:0;width:1200px;height:800px;overflow:hidden;pointer-events:none",
    );
    let _ = holder.set_attribute("aria-hidden", "true");
    let _ = holder.append_child(&copy);
    let _ = app.append_child(&holder);
    let all = copy.query_selector_all("*").map_err(|_| NO_CANVAS)?;
    let mut styled = Vec::new();
    for i in 0..all.length() {
        let Some(el) = all.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let Ok(Some(computed)) = window.get_computed_style(&el) else { continue };
        let style: String = PROPERTIES
            .iter()
            .filter_map(|p| {
                let v = computed.get_property_value(p).ok()?;
                (!v.is_empty()).then(|| format!("{p}:{v};"))
            })
            .collect();
        styled.push((el, style));
    }
    let background = window
        .get_computed_style(&app)
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value("background-color").ok())
        .unwrap_or_else(|| "#ffffff".into());
    holder.remove();
    for (el, style) in styled {
        set_style(&el, &style);
        for attr in ["tabindex", "role", "data-testid", "data-region-kind", "aria-label"] {
            let _ = el.remove_attribute(attr);
        }
    }

    // The whole network in view, at the requested scale, on the page's background.
    let (x, y, w, h) = store.doc.with_untracked(|d| crate::canvas::fit_view(&crate::layout::layout(d, None)));
    let name = store.doc.with_untracked(|d| d.name.clone());
    for attr in ["class", "data-testid", "preserveAspectRatio", "tabindex"] {
        let _ = copy.remove_attribute(attr);
    }
    let _ = copy.set_attribute("viewBox", &format!("{x:.1} {y:.1} {w:.1} {h:.1}"));
    let (pw, ph) = ((w * scale).round(), (h * scale).round());
    let _ = copy.set_attribute("width", &pw.to_string());
    let _ = copy.set_attribute("height", &ph.to_string());
    let _ = copy.set_attribute("role", "img");
    let _ = copy.set_attribute("aria-label", &name);
    let svg_ns = Some("http://www.w3.org/2000/svg");
    let title = document.create_element_ns(svg_ns, "title").map_err(|_| NO_CANVAS)?;
    title.set_text_content(Some(&name));
    let back = document.create_element_ns(svg_ns, "rect").map_err(|_| NO_CANVAS)?;
    for (k, v) in [("x", x), ("y", y), ("width", w), ("height", h)] {
        let _ = back.set_attribute(k, &format!("{v:.1}"));
    }
    let _ = back.set_attribute("fill", &background);
    let _ = copy.insert_before(&back, copy.first_child().as_ref());
    let _ = copy.insert_before(&title, copy.first_child().as_ref());

    let text =
        web_sys::XmlSerializer::new().map_err(|_| NO_CANVAS)?.serialize_to_string(&copy).map_err(|_| NO_CANVAS)?;
    Ok((format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}\n"), pw, ph))
}

/// Give an element (HTML or SVG) an inline style through the CSSOM, which the page's
/// Content-Security-Policy allows (a `style` attribute written as text is refused); the
/// serialised copy still carries it as its `style` attribute.
pub fn set_style(el: &Element, css: &str) {
    if let Some(style) =
        js_sys::Reflect::get(el, &"style".into()).ok().and_then(|s| s.dyn_into::<web_sys::CssStyleDeclaration>().ok())
    {
        style.set_css_text(css);
    }
}

/// Export the canvas as `<name>.svg`.
pub fn export_svg(store: &Store) -> Result<(), String> {
    let (text, _, _) = svg(store, 1.0)?;
    let name = store.doc.with_untracked(|d| crate::files::file_stem(&d.name));
    crate::files::download_text(&text, "image/svg+xml", &format!("{name}.svg"))
}

/// Export the canvas as `<name>.png`: the standalone SVG drawn on a canvas element.
pub async fn export_png(store: Store) -> Result<(), String> {
    let (_, w, h) = svg(&store, 1.0)?;
    let scale = PNG_SCALE.min(PNG_MAX / w.max(h).max(1.0));
    let (text, pw, ph) = svg(&store, scale)?;
    let name = store.doc.with_untracked(|d| crate::files::file_stem(&d.name));
    let blob = png_from_svg(&text, pw, ph).await?;
    crate::files::download_blob(&blob, &format!("{name}.png"))
}

/// A PNG of `width` by `height` pixels from standalone SVG text (whose own size should be the
/// same, so the browser draws the vectors at that size): the SVG is decoded as an image, drawn
/// on a canvas element, and the canvas encoded. The canvas and the charts use it.
pub async fn png_from_svg(text: &str, width: f64, height: f64) -> Result<web_sys::Blob, String> {
    const FAILED: &str = "The browser could not draw the picture.";
    let image = web_sys::HtmlImageElement::new().map_err(|_| FAILED)?;
    let url: String = js_sys::encode_uri_component(text).into();
    image.set_src(&format!("data:image/svg+xml;charset=utf-8,{url}"));
    JsFuture::from(image.decode()).await.map_err(|_| FAILED)?;
    let canvas: web_sys::HtmlCanvasElement = document()?.create_element("canvas").map_err(|_| FAILED)?.unchecked_into();
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok().flatten().ok_or(FAILED)?.unchecked_into();
    context.draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, width, height).map_err(|_| FAILED)?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        if canvas.to_blob_with_type(done.unchecked_ref(), "image/png").is_err() {
            let _ = reject.call0(&JsValue::NULL);
        }
    });
    let blob = JsFuture::from(promise).await.map_err(|_| FAILED)?;
    blob.dyn_into().map_err(|_| FAILED.to_owned())
}
