// Reading tickets' QR codes with the device's camera, for every page that scans them (the
// organiser's check-in page, a company's booth page). A page marks its camera box:
//
//   <div data-qr-scanner hidden data-msg-on="…" data-msg-no-camera="…"
//        [data-qr-fill="code" data-qr-then-focus="rating" data-msg-read="…"]>
//     <button data-qr-start> <button data-qr-stop hidden> <video data-qr-video hidden>
//     <p data-qr-status role="status">
//
// The box is shown only where the browser has a camera and a decoder: BarcodeDetector
// where it has one, otherwise jsQR (static/vendor/jsqr, loaded before this file) on video
// frames. What is read goes, with data-qr-fill, into that field and the camera stops (one
// ticket, then the person adds what the form asks); otherwise a "tf-scan" event (detail:
// the text) bubbles up from the box and the camera keeps reading, the same ticket held in
// front of it once every few seconds, not at every frame (checkin.js listens for it).
(function () {
  "use strict";
  var SAME_TICKET_MS = 4000;
  var FRAME_GAP_MS = 150;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  var boxes = document.querySelectorAll("[data-qr-scanner]");
  if (!boxes.length) { return; }

  // A function from a playing video to a promise of the text of the QR code in sight (or null).
  function makeDecoder() {
    var detector = null;
    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
    }
    if (detector) {
      return function (video) {
        return detector.detect(video)
          .then(function (codes) { return codes.length ? codes[0].rawValue : null; })
          .catch(function () { return null; }); // a frame it could not read
      };
    }
    if (typeof window.jsQR !== "function") { return null; }
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return function (video) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var frame = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
      return Promise.resolve(code ? code.data : null);
    };
  }

  function attach(box, decode) {
    var video = box.querySelector("[data-qr-video]");
    var start = box.querySelector("[data-qr-start]");
    var stop = box.querySelector("[data-qr-stop]");
    var status = box.querySelector("[data-qr-status]");
    var field = box.dataset.qrFill ? document.getElementById(box.dataset.qrFill) : null;
    var stream = null;
    var last = { text: "", at: 0 };
    box.hidden = false;

    function say(text) { if (status) { status.textContent = text || ""; } }

    function halt() {
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
      stream = null;
      video.hidden = true;
      start.hidden = false;
      stop.hidden = true;
    }

    function found(text) {
      var now = Date.now();
      if (!text || (text === last.text && now - last.at < SAME_TICKET_MS)) { return; }
      last = { text: text, at: now };
      if (!field) {
        box.dispatchEvent(new CustomEvent("tf-scan", { detail: text, bubbles: true }));
        return;
      }
      field.value = text;
      say(box.dataset.msgRead);
      halt();
      var next = document.getElementById(box.dataset.qrThenFocus || "");
      if (next) { next.focus(); }
    }

    function loop() {
      if (!stream) { return; }
      var read = video.readyState >= 2 ? decode(video) : Promise.resolve(null);
      read.then(function (text) {
        if (text) { found(text); }
        window.setTimeout(function () { window.requestAnimationFrame(loop); }, FRAME_GAP_MS);
      });
    }

    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          start.hidden = true;
          stop.hidden = false;
          say(box.dataset.msgOn);
          return video.play().then(loop);
        })
        .catch(function () { halt(); say(box.dataset.msgNoCamera); });
    });
    stop.addEventListener("click", function () { halt(); say(""); });
  }

  var decode = makeDecoder();
  if (!decode) { return; }
  Array.prototype.forEach.call(boxes, function (box) { attach(box, decode); });
})();
