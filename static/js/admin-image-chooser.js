'use strict';
// The article form's main-image chooser: thumbnails in the search results and
// a preview of the chosen photo. Without JavaScript the plain select works.
{
    // Read when the page has loaded: the admin may list this file before
    // its own jQuery setup.
    const jq = () => window.django.jQuery;

    function image(src, width, alt) {
        const img = document.createElement('img');
        img.src = src;
        img.width = width;
        img.alt = alt;
        img.className = 'np-thumb';
        return img;
    }

    function resultWithThumbnail(item) {
        if (!item.thumbnail) {
            return item.text;
        }
        const row = document.createElement('span');
        row.className = 'np-chooser-option';
        row.append(image(item.thumbnail, 64, ''), document.createTextNode(' ' + item.text));
        return jq()(row);
    }

    function showPreview(select) {
        const box = document.querySelector('.field-main_image_preview .readonly');
        if (!box) {
            return;
        }
        const chosen = jq()(select).select2('data')[0];
        box.replaceChildren();
        if (chosen && chosen.thumbnail) {
            box.append(image(chosen.thumbnail, 240, chosen.text));
        } else {
            box.textContent = chosen && chosen.id ? chosen.text : '—';
        }
    }

    // After admin/js/autocomplete.js has set the widgets up in its jQuery
    // ready handler, which jQuery 3 runs asynchronously: it can come after
    // the window's load event, so wait for both.
    window.addEventListener('load', () => jq()(() => {
        const $ = jq();
        document.querySelectorAll('select[data-image-chooser]').forEach((select) => {
            if ($(select).data('select2')) {
                $(select).select2('destroy');
            }
            $(select).select2({
                ajax: {
                    data: (params) => ({
                        term: params.term,
                        page: params.page,
                        app_label: select.dataset.appLabel,
                        model_name: select.dataset.modelName,
                        field_name: select.dataset.fieldName
                    })
                },
                templateResult: resultWithThumbnail
            });
            $(select).on('change', () => showPreview(select));
        });
    }));
}
