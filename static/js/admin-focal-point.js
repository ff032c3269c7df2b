'use strict';
// The photo form's focal-point picker: a click on the photo fills the two
// number fields (0 to 1 from the left and from the top), and typing in them
// moves the marker. Without JavaScript the number fields work on their own.
{
    const clamp = (value) => Math.min(1, Math.max(0, value));

    function setUp(box) {
        const img = box.querySelector('img');
        const marker = box.querySelector('.np-focal__marker');
        const across = document.getElementById('id_focal_x');
        const down = document.getElementById('id_focal_y');
        if (!img || !marker || !across || !down) {
            return;
        }
        function place() {
            const x = parseFloat(across.value);
            const y = parseFloat(down.value);
            marker.hidden = !(x >= 0 && x <= 1 && y >= 0 && y <= 1);
            // Set through the CSSOM, which the Content-Security-Policy allows.
            marker.style.left = `${x * 100}%`;
            marker.style.top = `${y * 100}%`;
        }
        img.addEventListener('click', (event) => {
            const rect = img.getBoundingClientRect();
            across.value = clamp((event.clientX - rect.left) / rect.width).toFixed(2);
            down.value = clamp((event.clientY - rect.top) / rect.height).toFixed(2);
            place();
        });
        across.addEventListener('input', place);
        down.addEventListener('input', place);
        box.classList.add('np-focal--active');
        place();
    }

    document.addEventListener('DOMContentLoaded', () => {
        document.querySelectorAll('[data-focal-picker]').forEach(setUp);
    });
}
