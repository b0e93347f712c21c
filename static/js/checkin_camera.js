// The check-in page's camera: reads QR codes with the browser's BarcodeDetector where it
// has one, otherwise with jsQR (static/vendor/jsqr) on video frames, and hands each token
// read to checkin.js (a "tf-scan" event on #checkin). The same ticket held in front of the
// camera is read once every few seconds, not at every frame.
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  var box = document.getElementById("checkin-camera");
  if (!root || !box || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  var video = document.getElementById("checkin-video");
  var start = document.getElementById("checkin-camera-start");
  var stop = document.getElementById("checkin-camera-stop");
  var result = document.getElementById("checkin-result");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var detector = null;
  var stream = null;
  var last = { text: "", at: 0 };
  var SAME_TICKET_MS = 4000;
  box.hidden = false;

  if ("BarcodeDetector" in window) {
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
  }
  if (!detector && typeof window.jsQR !== "function") { box.hidden = true; return; }

  function say(text, kind) {
    result.innerHTML = "";
    var alert = document.createElement("div");
    alert.className = "alert alert-" + kind + " py-2 mb-2";
    alert.textContent = text;
    result.appendChild(alert);
  }

  function found(text) {
    var now = Date.now();
    if (!text || (text === last.text && now - last.at < SAME_TICKET_MS)) { return; }
    last = { text: text, at: now };
    root.dispatchEvent(new CustomEvent("tf-scan", { detail: text }));
  }

  function read() {
    if (!stream) { return Promise.resolve(); }
    if (video.readyState < 2) { return Promise.resolve(); }
    if (detector) {
      return detector.detect(video).then(function (codes) {
        if (codes.length) { found(codes[0].rawValue); }
      }).catch(function () { /* a frame it could not read */ });
    }
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    var frame = context.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
    if (code) { found(code.data); }
    return Promise.resolve();
  }

  function loop() {
    if (!stream) { return; }
    read().then(function () { window.setTimeout(function () { window.requestAnimationFrame(loop); }, 150); });
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        say(root.dataset.msgCameraOn, "secondary");
        return video.play().then(loop);
      })
      .catch(function () { say(root.dataset.msgNoCamera, "warning"); });
  });

  stop.addEventListener("click", function () {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
    start.hidden = false;
    stop.hidden = true;
  });
})();
